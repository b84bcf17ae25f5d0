package io.agentnexus.platform.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.jboss.logging.Logger;

/**
 * Fixed-window counters in Redis. When Redis is unreachable the limiter lets requests through (and
 * says so in the log and a metric): an outage of the counter store must not take the API down.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);

    // INCR, start the window on the first hit, and report the count and the time left, atomically.
    private static final String HIT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {count, ttl}
            """;

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final Duration timeout;
    private final MeterRegistry metrics;

    RateLimiter(RedisDataSource redis, ReactiveRedisDataSource reactive, MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration timeout) {
        this.redis = redis;
        this.reactive = reactive;
        this.timeout = timeout;
        this.metrics = metrics;
        metrics.counter("agentnexus.ratelimit.store.failures"); // at zero from the start, for increase()
    }

    /** Whether one more request fits in the quota, and what remains of it. */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {
    }

    /** One more request of {@code subject} (e.g. "ip:…", "user:…") under {@code policy} ("api" or a named one). */
    public Decision hit(String policy, String subject, RateLimitConfig.Quota quota) {
        try {
            return decide(policy, quota, count(key(policy, subject), quota.window().toMillis()));
        } catch (RuntimeException e) {
            return storeFailed(quota, e);
        }
    }

    /** {@link #hit} without blocking, for the event loop. */
    public Uni<Decision> hitAsync(String policy, String subject, RateLimitConfig.Quota quota) {
        return countAsync(key(policy, subject), quota.window().toMillis())
                .map(result -> decide(policy, quota, result))
                .onFailure().recoverWithItem(e -> storeFailed(quota, e));
    }

    /** Opens after repeated failures so that a hanging Redis costs no request its timeout. */
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 5000)
    Response count(String key, long windowMillis) {
        return redis.execute("EVAL", HIT, "1", key, Long.toString(windowMillis));
    }

    /** {@link #count} without blocking, bounded by the Redis client's timeout; a breaker of its own. */
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 5000)
    Uni<Response> countAsync(String key, long windowMillis) {
        return reactive.execute("EVAL", HIT, "1", key, Long.toString(windowMillis)).ifNoItem().after(timeout).fail();
    }

    private static String key(String policy, String subject) {
        return "rl:" + policy + ":" + subject;
    }

    private Decision decide(String policy, RateLimitConfig.Quota quota, Response result) {
        long count = result.get(0).toLong();
        long ttlMillis = result.get(1).toLong();
        long resetSeconds = Math.max(1, (ttlMillis + 999) / 1000);
        int remaining = (int) Math.max(0, quota.limit() - count);
        if (count > quota.limit()) {
            metrics.counter("agentnexus.ratelimit.rejections", "policy", policy).increment();
        }
        return new Decision(count <= quota.limit(), quota.limit(), remaining, resetSeconds);
    }

    private Decision storeFailed(RateLimitConfig.Quota quota, Throwable e) {
        LOG.warnf("rate limit store unavailable, letting the request through: %s", e.getMessage());
        metrics.counter("agentnexus.ratelimit.store.failures").increment();
        return new Decision(true, quota.limit(), quota.limit(), quota.window().toSeconds());
    }
}
