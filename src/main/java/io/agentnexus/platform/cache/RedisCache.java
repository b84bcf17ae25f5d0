package io.agentnexus.platform.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * A read-through cache of JSON values in Redis. Best effort by design: when Redis fails, reads miss
 * and writes are skipped, so callers answer from the database, only slower.
 */
@ApplicationScoped
public class RedisCache {

    private static final Logger LOG = Logger.getLogger(RedisCache.class);

    // The counter and the news of it in one round trip, so that no replica can see one without the other coming.
    private static final String BUMP_AND_PUBLISH = """
            local generation = redis.call('INCR', KEYS[1])
            redis.call('PUBLISH', ARGV[1], generation)
            return generation
            """;

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final KeyCommands<String> keys;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    RedisCache(RedisDataSource redis, ObjectMapper json, MeterRegistry metrics) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.keys = redis.key();
        this.json = json;
        this.metrics = metrics;
        // At zero from the start, so that dashboards show 0 rather than no data and the first failure counts.
        for (String operation : new String[] {"read", "write", "evict", "bump"}) {
            metrics.counter("agentnexus.cache.failures", "operation", operation);
        }
    }

    public <T> Optional<T> get(String key, JavaType type) {
        try {
            String cached = values.get(key);
            metrics.counter("agentnexus.cache.requests", "result", cached == null ? "miss" : "hit").increment();
            return cached == null ? Optional.empty() : Optional.of(json.readValue(cached, type));
        } catch (JsonProcessingException e) {
            LOG.warnf("dropping unreadable cache entry %s: %s", key, e.getOriginalMessage());
            evict(key);
            return Optional.empty();
        } catch (RuntimeException e) {
            failed("read", key, e);
            return Optional.empty();
        }
    }

    public <T> Optional<T> get(String key, Class<T> type) {
        return get(key, json.constructType(type));
    }

    public void put(String key, Object value, Duration ttl) {
        try {
            values.setex(key, ttl.toSeconds(), json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable for the cache: " + value.getClass(), e);
        } catch (RuntimeException e) {
            failed("write", key, e);
        }
    }

    public void evict(String... cacheKeys) {
        try {
            keys.del(cacheKeys);
        } catch (RuntimeException e) {
            failed("evict", String.join(",", cacheKeys), e);
        }
    }

    /**
     * A counter that versions a family of keys: bumping it makes every key built from the old value
     * unreachable at once (they expire by their TTL), without scanning for them. Empty when Redis
     * cannot be reached.
     */
    public OptionalLong generation(String counterKey) {
        try {
            String value = values.get(counterKey);
            return OptionalLong.of(value == null ? 0 : Long.parseLong(value));
        } catch (RuntimeException e) {
            failed("read", counterKey, e);
            return OptionalLong.empty();
        }
    }

    public void bump(String counterKey) {
        try {
            values.incr(counterKey);
        } catch (RuntimeException e) {
            failed("bump", counterKey, e);
        }
    }

    /** {@link #bump}, and the new value published on {@code channel} (see {@link NearCaches}). */
    public void bumpAndPublish(String counterKey, String channel) {
        try {
            redis.execute("EVAL", BUMP_AND_PUBLISH, "1", counterKey, channel);
        } catch (RuntimeException e) {
            failed("bump", counterKey, e);
        }
    }

    private void failed(String operation, String key, RuntimeException e) {
        metrics.counter("agentnexus.cache.failures", "operation", operation).increment();
        LOG.warnf("cache %s of %s failed, going on without the cache: %s", operation, key, e.getMessage());
    }
}
