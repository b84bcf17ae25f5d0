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

/** Bytes as 0x-hex (0x alone is empty). A null value is valid (combine with @NotNull). */
@Documented
@Pattern(regexp = HexBytes.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface HexBytes {

    String PATTERN = "^0x([0-9a-fA-F]{2})*$";

    String message() default "must be 0x-prefixed hex bytes (an even number of hex digits)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
