package io.agentnexus.platform.ratelimit;

import io.agentnexus.platform.error.ApiException;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Map;

/** 429 with Retry-After and the RateLimit-* headers, so that clients know when to come back. */
final class RateLimitExceeded {

    private RateLimitExceeded() {
    }

    static ApiException of(RateLimiter.Decision decision, String detail) {
        return new ApiException(Status.TOO_MANY_REQUESTS, "rate-limited", detail + "; retry in "
                + decision.resetSeconds() + " s", List.of(), headers(decision));
    }

    static Map<String, String> headers(RateLimiter.Decision decision) {
        return Map.of(
                "Retry-After", Long.toString(decision.resetSeconds()),
                "RateLimit-Limit", Integer.toString(decision.limit()),
                "RateLimit-Remaining", Integer.toString(decision.remaining()),
                "RateLimit-Reset", Long.toString(decision.resetSeconds()));
    }
}
