package io.agentnexus.platform.cache;

import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether Redis answers. Wellness, not readiness (the Redis extension's own readiness check is switched off):
 * without Redis a replica still serves, slower and with less (reads miss the cache, rate limits fail open,
 * sign-in answers 503 until it is back), and every replica shares the one Redis, so taking them out of the
 * load balancer would only turn that degraded service into none.
 */
@Wellness
@ApplicationScoped
public class RedisHealthCheck implements HealthCheck {

    private final RedisDataSource redis;

    RedisHealthCheck(RedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Redis connection health check");
        try {
            redis.execute("PING");
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
