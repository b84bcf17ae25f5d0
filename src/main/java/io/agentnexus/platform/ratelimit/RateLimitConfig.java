package io.agentnexus.platform.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Request quotas, counted in Redis so that every replica shares them. */
@ConfigMapping(prefix = "agentnexus.rate-limit")
public interface RateLimitConfig {

    /** Off only for load tests. */
    @WithDefault("true")
    boolean enabled();

    /** Every /api request, per client IP (the spec: 100 per 15 minutes). */
    Quota api();

    /** Named quotas for expensive calls, applied with {@link RateLimited}. */
    Map<String, Policy> policies();

    interface Quota {
        int limit();

        Duration window();
    }

    interface Policy extends Quota {
        /** Whom the quota belongs to: the signed-in user, or the client IP for anonymous calls. */
        @WithDefault("USER")
        Subject per();
    }

    enum Subject {
        USER, IP
    }
}
