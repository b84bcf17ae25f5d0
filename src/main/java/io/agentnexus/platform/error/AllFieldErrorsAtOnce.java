package io.agentnexus.platform.error;

import io.agentnexus.platform.web.NulFreeJson;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One 400 for every invalid field of a JSON body, as the spec's zod schemas report them: the values
 * of the wrong type (which the reader passes over, see {@link WrongTypedFields}) together with the
 * bean-validation violations of the rest. A body without wrong-typed values goes on to the usual
 * {@code @Valid} check.
 */
@Provider
public class AllFieldErrorsAtOnce implements ReaderInterceptor {

    private final Validator validator;

    AllFieldErrorsAtOnce(Validator validator) {
        this.validator = validator;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!NulFreeJson.isJson(context.getMediaType())) {
            return context.proceed();
        }
        WrongTypedFields.Read<Object> read = WrongTypedFields.noting(context::proceed);
        if (read.wrongTyped().isEmpty()) {
            return read.value();
        }
        Set<String> wrongTyped = read.wrongTyped().stream().map(Problem.FieldError::field).collect(Collectors.toSet());
        List<Problem.FieldError> errors = new ArrayList<>(read.wrongTyped());
        if (read.value() != null) {
            validator.validate(read.value()).stream()
                    .map(v -> new Problem.FieldError(ProblemMappers.fieldOf(v), v.getMessage()))
                    .filter(error -> !wrongTyped.contains(error.field())) // null only because it was passed over
                    .forEach(errors::add);
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        throw new ApiException(Status.BAD_REQUEST, "validation", "the request has invalid fields", errors, Map.of());
    }
}
