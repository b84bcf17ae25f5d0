package io.agentnexus.platform.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The in-process caches in front of Redis ({@link NearCache}). */
@ConfigMapping(prefix = "agentnexus.cache.near")
public interface NearCacheConfig {

    /** Off: every read goes to Redis (and the database), as on a replica that lost its subscription. */
    @WithDefault("true")
    boolean enabled();

    /** Entries per cache. */
    @WithDefault("4096")
    int maxEntries();

    /** Bytes of values per cache (a page of 20 agents is some 20 KB). */
    @WithDefault("16M")
    io.quarkus.runtime.configuration.MemorySize maxSize();

    /**
     * How often each replica compares its generation with Redis's: a subscription that died without its
     * connection saying so (a half-open socket) costs at most this long of stale reads, then stops serving.
     */
    @WithDefault("1s")
    Duration checkInterval();
}
