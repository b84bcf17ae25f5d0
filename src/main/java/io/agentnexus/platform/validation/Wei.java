package io.agentnexus.platform.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * An amount of money in base units (wei): a decimal string that fits a uint256, as every amount on the chain
 * must. A null value is valid (combine with @NotNull).
 */
@Documented
@Constraint(validatedBy = Wei.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE_USE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Wei {

    String message() default "must be a whole number of base units (wei) as a decimal string, at most 2^256 - 1";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<Wei, String> {

        private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,78}$");
        private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || DIGITS.matcher(value).matches() && new BigInteger(value).compareTo(UINT256_MAX) <= 0;
        }
    }
}
