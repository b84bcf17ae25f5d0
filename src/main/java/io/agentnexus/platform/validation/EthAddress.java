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

/** An Ethereum address: 0x and 40 hex digits, any case (EIP-55 checksums are checked where they matter). A null value is valid (combine with @NotNull). */
@Documented
@Pattern(regexp = EthAddress.PATTERN)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface EthAddress {

    String PATTERN = "^0x[0-9a-fA-F]{40}$";

    String message() default "must be a 0x-prefixed 20-byte hex address";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
