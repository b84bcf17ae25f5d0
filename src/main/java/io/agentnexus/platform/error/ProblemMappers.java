package io.agentnexus.platform.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.agentnexus.platform.web.RequestIdFilter;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure becomes an RFC 9457 problem detail; nothing else (no stack trace) reaches a client. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        Response.ResponseBuilder response = problem(e.status().getStatusCode(), e.kind(), e.getMessage(),
                e.errors(), uri);
        e.headers().forEach(response::header);
        return response.build();
    }

    /** An open circuit breaker: the dependency failed repeatedly just now and is given time to recover. */
    @ServerExceptionMapper
    public Response circuitOpen(CircuitBreakerOpenException e, UriInfo uri) {
        return unavailable(new DependencyUnavailableException("a dependency is failing", e), uri);
    }

    @ServerExceptionMapper
    public Response unavailable(DependencyUnavailableException e, UriInfo uri) {
        LOG.warnf("dependency unavailable on %s: %s", uri.getPath(), e.getMessage());
        return problem(503, "unavailable", e.getMessage() + "; try again shortly", List.of(), uri)
                .header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        return problem(400, "validation", "the request has invalid fields", errors, uri).build();
    }

    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            UnrecognizedPropertyException.class})
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String detail;
        if (e instanceof UnrecognizedPropertyException unknown) {
            detail = "unknown field '" + pathOf(unknown) + "'";
        } else if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String expected = mismatch.getTargetType() == null ? "another type" : typeName(mismatch.getTargetType());
            detail = "field '" + pathOf(mismatch) + "' has the wrong type: expected " + expected;
        } else {
            detail = "the body is not valid JSON for this request: " + e.getOriginalMessage();
        }
        return problem(400, "malformed-body", detail, List.of(), uri).build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return problem(401, "unauthorized", "a valid bearer token is required", List.of(), uri)
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(403, "forbidden", "your roles do not allow this", List.of(), uri).build();
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        String detail = e.getMessage() == null ? null : e.getMessage().replaceFirst("^HTTP \\d+ ", "");
        Response.ResponseBuilder response = problem(status, slug(status), detail, List.of(), uri);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Optional<String> duplicate = uniqueViolation(e);
        if (duplicate.isPresent()) {
            return problem(409, "conflict", "the request conflicts with an existing record ("
                    + duplicate.get() + ")", List.of(), uri).build();
        }
        LOG.error("unexpected failure on " + uri.getPath(), e);
        return problem(500, "internal", "an unexpected error occurred; quote the request id when reporting it",
                List.of(), uri).build();
    }

    /**
     * A PostgreSQL unique violation (SQLState 23505) anywhere in the causes, e.g. two requests racing
     * past a service's own "is it taken?" check: the loser gets a 409, not a 500. Names the constraint.
     */
    private static Optional<String> uniqueViolation(Throwable e) {
        String constraint = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException violation
                    && violation.getConstraintName() != null) {
                constraint = violation.getConstraintName();
            }
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return Optional.of(constraint != null ? constraint : "a unique value is taken");
            }
        }
        return Optional.empty();
    }

    static Response.ResponseBuilder problem(int status, String kind, String detail, List<Problem.FieldError> errors,
            UriInfo uri) {
        Status known = Status.fromStatusCode(status);
        Problem body = new Problem("/problems/" + kind, known == null ? "HTTP " + status : known.getReasonPhrase(),
                status, detail, uri == null ? null : uri.getPath(), requestId(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
    }

    private static String requestId() {
        Object id = MDC.get(RequestIdFilter.MDC_KEY);
        return id == null ? null : id.toString();
    }

    private static String slug(int status) {
        Status known = Status.fromStatusCode(status);
        return known == null ? "http-" + status : known.name().toLowerCase().replace('_', '-');
    }

    /** "create.request.name" → "name": the path inside the body or the query parameter name. */
    static String fieldOf(ConstraintViolation<?> violation) {
        List<Path.Node> nodes = StreamSupport.stream(violation.getPropertyPath().spliterator(), false).toList();
        String field = nodes.stream()
                .filter(n -> n.getKind() == ElementKind.PROPERTY || n.getKind() == ElementKind.CONTAINER_ELEMENT)
                .map(Path.Node::toString)
                .collect(Collectors.joining("."));
        if (!field.isEmpty()) {
            return field;
        }
        return nodes.isEmpty() ? "" : nodes.getLast().getName();
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static final Map<Class<?>, String> TYPE_NAMES = Map.of(
            String.class, "a string", Integer.class, "an integer", int.class, "an integer",
            Long.class, "an integer", long.class, "an integer", Boolean.class, "a boolean",
            boolean.class, "a boolean", Map.class, "an object", List.class, "an array");

    static String typeName(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return TYPE_NAMES.getOrDefault(type, type.getSimpleName());
    }
}
