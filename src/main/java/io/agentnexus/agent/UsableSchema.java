package io.agentnexus.agent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * A creator's JSON Schema that the platform can use (see {@link AgentSchemas#problems}): checked with the
 * other fields of the body, so that one 400 lists every problem. Null is valid (left out on update).
 */
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = UsableSchema.Validator.class)
public @interface UsableSchema {

    String message() default "is not a usable JSON Schema";

    Class<?>[] groups() default { };

    Class<? extends Payload>[] payload() default { };

    /** A bean (Quarkus builds validators of a scope through CDI), so that it shares the configured AgentSchemas. */
    @ApplicationScoped
    class Validator implements ConstraintValidator<UsableSchema, Map<String, Object>> {

        private final AgentSchemas schemas;

        Validator(AgentSchemas schemas) {
            this.schemas = schemas;
        }

        @Override
        public boolean isValid(Map<String, Object> schema, ConstraintValidatorContext context) {
            if (schema == null) {
                return true;
            }
            var problems = schemas.problems("", schema);
            if (problems.isEmpty()) {
                return true;
            }
            var hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
            hibernate.disableDefaultConstraintViolation();
            // The problem text is a parameter, so that "$schema" or braces in it are never interpolated.
            problems.forEach(problem -> {
                var violation = hibernate.addMessageParameter("problem", problem.message())
                        .buildConstraintViolationWithTemplate("{problem}");
                String inside = problem.field().replaceFirst("^\\.", ""); // "" for the schema as a whole
                if (inside.isEmpty()) {
                    violation.addConstraintViolation();
                } else {
                    violation.addPropertyNode(inside).addConstraintViolation();
                }
            });
            return false;
        }
    }
}
