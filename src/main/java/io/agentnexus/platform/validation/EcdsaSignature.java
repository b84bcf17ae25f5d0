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

/** A wallet signature r ‖ s ‖ v: 0x and 130 hex digits. A null value is valid (combine with @NotNull). */
@Documented
@Pattern(regexp = EcdsaSignature.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface EcdsaSignature {

    String PATTERN = "^0x[0-9a-fA-F]{130}$";

    String message() default "must be a 65-byte hex signature (0x + 130 hex digits)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
