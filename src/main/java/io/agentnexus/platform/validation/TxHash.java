package io.agentnexus.platform.validation;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A transaction hash: 0x and 64 hex digits. A null value is valid (combine with @NotNull). */
@Documented
@Pattern(regexp = TxHash.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface TxHash {

    String PATTERN = "^0x[0-9a-fA-F]{64}$";

    String message() default "must be a transaction hash (0x + 64 hex digits)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
