package io.agentnexus.platform.ratelimit;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Enforces a named per-user (or per-IP) quota on the methods marked {@link RateLimited}. */
@RateLimited("")
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class RateLimitInterceptor {

    private final RateLimiter limiter;
    private final RateLimitConfig config;
    private final SecurityIdentity identity;
    private final HttpServerRequest request;

    RateLimitInterceptor(RateLimiter limiter, RateLimitConfig config, SecurityIdentity identity,
            HttpServerRequest request) {
        this.limiter = limiter;
        this.config = config;
        this.identity = identity;
        this.request = request;
    }

    @AroundInvoke
    Object enforce(InvocationContext invocation) throws Exception {
        RateLimited binding = invocation.getMethod().getAnnotation(RateLimited.class);
        if (binding == null) {
            binding = invocation.getMethod().getDeclaringClass().getAnnotation(RateLimited.class);
        }
        RateLimitConfig.Policy policy = config.policies().get(binding.value());
        if (!config.enabled() || policy == null) {
            return invocation.proceed();
        }
        String subject = policy.per() == RateLimitConfig.Subject.USER && !identity.isAnonymous()
                ? "user:" + identity.getPrincipal().getName()
                : "ip:" + ClientAddress.of(request);
        RateLimiter.Decision decision = limiter.hit(binding.value(), subject, policy);
        if (!decision.allowed()) {
            throw RateLimitExceeded.of(decision, "the '" + binding.value() + "' quota is used up");
        }
        return invocation.proceed();
    }
}
