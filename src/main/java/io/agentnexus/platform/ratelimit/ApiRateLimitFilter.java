package io.agentnexus.platform.ratelimit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The API-wide quota per client IP, on every /api request, reported in RateLimit-* headers (unless a
 * named policy refused the request: then the headers are that policy's).
 */
public class ApiRateLimitFilter {

    private static final String DECISION = ApiRateLimitFilter.class.getName();

    private final RateLimiter limiter;
    private final RateLimitConfig config;

    ApiRateLimitFilter(RateLimiter limiter, RateLimitConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /** Without blocking: some endpoints answer on the event loop (the catalog's reads). Null: nothing to wait for. */
    @ServerRequestFilter
    public Uni<Void> count(ContainerRequestContext request, HttpServerRequest http) {
        if (!config.enabled() || !request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        return limiter.hitAsync("api", "ip:" + ClientAddress.of(http), config.api()).map(decision -> {
            request.setProperty(DECISION, decision);
            if (!decision.allowed()) {
                throw RateLimitExceeded.of(decision, "too many requests from your address");
            }
            return null;
        });
    }

    @ServerResponseFilter
    public void report(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getHeaders().containsKey("RateLimit-Limit")) {
            return; // a named policy refused the request: its headers, not the API quota's, say when to come back
        }
        if (request.getProperty(DECISION) instanceof RateLimiter.Decision decision) {
            RateLimitExceeded.headers(decision).forEach((name, value) -> {
                if (!name.equals("Retry-After") || !decision.allowed()) {
                    response.getHeaders().putSingle(name, value);
                }
            });
        }
    }
}
