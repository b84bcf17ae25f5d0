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

/** An amount of money in base units (wei): a decimal string of at most 78 digits. A null value is valid (combine with @NotNull). */
@Documented
@Pattern(regexp = Wei.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Wei {

    String PATTERN = "^[0-9]{1,78}$";

    String message() default "must be a whole number of base units (wei) as a decimal string";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
