package io.agentnexus.platform.error;

import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Map;

/**
 * A failure the client should see as a problem detail. Services throw it; {@link ProblemMappers}
 * turns it into the response. {@code kind} names the problem type (a slug under /problems/).
 */
public class ApiException extends RuntimeException {

    private final Status status;
    private final String kind;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ApiException(Status status, String kind, String detail) {
        this(status, kind, detail, List.of(), Map.of());
    }

    public ApiException(Status status, String kind, String detail, List<Problem.FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false); // an answer to the client, not a bug: no stack trace
        this.status = status;
        this.kind = kind;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(Status.BAD_REQUEST, "bad-request", detail);
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(Status.BAD_REQUEST, "validation", "the request has invalid fields",
                List.of(new Problem.FieldError(field, message)), Map.of());
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(Status.UNAUTHORIZED, "unauthorized", detail, List.of(),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(Status.FORBIDDEN, "forbidden", detail);
    }

    /** Also the answer for another user's private resource: no hint that it exists. */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(Status.NOT_FOUND, "not-found", what + " " + id + " was not found");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(Status.CONFLICT, "conflict", detail);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(Status.SERVICE_UNAVAILABLE, "unavailable", detail, List.of(),
                Map.of("Retry-After", "5"));
    }

    public Status status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
