package io.agentnexus.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.cache.NearCache;
import io.agentnexus.platform.cache.NearCaches;
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
 * Agent reads cached in Redis (5 minutes by default), and in front of it, in each replica's memory, the
 * responses' JSON. Every Redis key carries the catalog's generation; any committed write bumps it and
 * publishes the bump, which empties the memory of every replica, so no reader ever sees an agent or a page
 * older than the last write. The generation is read before the database (and the near cache's ticket taken
 * before both), so a read racing a write can only fill a dead key.
 */
@ApplicationScoped
class AgentCache {

    static final String GENERATION = "agents:generation";

    /** An agent's JSON as the API shows it, with what deciding who may see it takes. */
    record Cached(byte[] json, AgentStatus status, UUID creatorId) {
    }

    private final RedisCache cache;
    private final NearCaches nearCaches;
    private final NearCache<Object> near;
    private final Duration ttl;
    private final ObjectMapper json;

    AgentCache(RedisCache cache, NearCaches nearCaches, ObjectMapper json,
            @ConfigProperty(name = "agentnexus.cache.agent-ttl", defaultValue = "5m") Duration ttl) {
        this.cache = cache;
        this.nearCaches = nearCaches;
        this.json = json;
        this.ttl = ttl;
        this.near = nearCaches.create("catalog", GENERATION,
                value -> value instanceof Cached agent ? agent.json().length : ((byte[]) value).length);
    }

    /** From memory only (safe on the event loop); null when the read must take the slow path. */
    Cached cachedAgent(UUID id) {
        return (Cached) near.get(agentKey(id));
    }

    /** From memory only (safe on the event loop); null when the read must take the slow path. */
    byte[] cachedPage(String canonicalQuery) {
        return (byte[]) near.get(pageKey(canonicalQuery));
    }

    /** The agent as the API shows it, through both caches; null if there is none. Blocking. */
    Cached agentJson(UUID id, Supplier<AgentView> load) {
        String key = agentKey(id);
        long ticket = near.ticket();
        if (near.peek(key) instanceof Cached hit) {
            return hit;
        }
        AgentView view = agent(id, load);
        if (view == null) {
            return null;
        }
        Cached agent = new Cached(bytes(view), view.status(), view.creator().id());
        near.put(key, ticket, agent);
        return agent;
    }

    /** A page's JSON through both caches. Blocking. */
    byte[] pageJson(String canonicalQuery, Supplier<AgentList> load) {
        String key = pageKey(canonicalQuery);
        long ticket = near.ticket();
        if (near.peek(key) instanceof byte[] hit) {
            return hit;
        }
        byte[] page = bytes(readThrough(generation -> "agents:" + generation + ":list:" + Sha256.hex(canonicalQuery),
                AgentList.class, load));
        near.put(key, ticket, page);
        return page;
    }

    AgentView agent(UUID id, Supplier<AgentView> load) {
        return readThrough(generation -> "agents:" + generation + ":id:" + id, AgentView.class, load);
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentChanged change) {
        nearCaches.bump(near, GENERATION);
    }

    private static String agentKey(UUID id) {
        return "id:" + id;
    }

    private static String pageKey(String canonicalQuery) {
        return "list:" + canonicalQuery;
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value); // the REST layer's mapper: the same bytes it would write
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable: " + value.getClass(), e);
        }
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
