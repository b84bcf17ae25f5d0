package io.agentnexus.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.cache.RedisCache;
import io.agentnexus.platform.text.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Agent reads cached in Redis (5 minutes by default). Every key carries the catalog's generation;
 * any committed write bumps it, so no reader ever sees an agent or a page older than the last write.
 * The generation is read before the database, so a read racing a write can only fill a dead key.
 */
@ApplicationScoped
class AgentCache {

    private static final String GENERATION = "agents:generation";

    private final RedisCache cache;
    private final Duration ttl;
    private final ObjectMapper json;

    AgentCache(RedisCache cache, ObjectMapper json, @ConfigProperty(name = "agentnexus.cache.agent-ttl",
            defaultValue = "5m") Duration ttl) {
        this.cache = cache;
        this.json = json;
        this.ttl = ttl;
    }

    AgentView agent(UUID id, Supplier<AgentView> load) {
        return readThrough(generation -> "agents:" + generation + ":id:" + id, AgentView.class, load);
    }

    AgentList page(String canonicalQuery, Supplier<AgentList> load) {
        return readThrough(generation -> "agents:" + generation + ":list:" + Sha256.hex(canonicalQuery),
                AgentList.class, load);
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentChanged change) {
        cache.bump(GENERATION);
    }

    private <T> T readThrough(LongFunction<String> keyOf, Class<T> type, Supplier<T> load) {
        OptionalLong generation = cache.generation(GENERATION);
        if (generation.isEmpty()) {
            return load.get(); // Redis is unreachable: straight to the database
        }
        String key = keyOf.apply(generation.getAsLong());
        Optional<T> cached = cache.get(key, json.constructType(type));
        if (cached.isPresent()) {
            return cached.get();
        }
        T value = load.get();
        if (value != null) {
            cache.put(key, value, ttl);
        }
        return value;
    }
}
