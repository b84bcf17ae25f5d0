package io.agentnexus.platform.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Makes {@link NearCache}s and keeps them honest across replicas. Each cache follows a generation counter
 * in Redis: a write bumps the counter and publishes the new value on a channel of the same name, and every
 * replica drops its entries when the message arrives. A cache serves only while its subscription is up;
 * it is dropped and re-filled after any gap, and each replica also compares the counter with Redis every
 * {@code check-interval}, which bounds what a silently dead subscription could cost.
 */
@ApplicationScoped
public class NearCaches {

    private static final Logger LOG = Logger.getLogger(NearCaches.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final RedisSubscriptions subscriptions;
    private final RedisCache cache;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final NearCacheConfig config;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();

    NearCaches(ReactiveRedisDataSource redis, RedisSubscriptions subscriptions, RedisCache cache, Vertx vertx,
            MeterRegistry metrics, NearCacheConfig config) {
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.cache = cache;
        this.vertx = vertx;
        this.metrics = metrics;
        this.config = config;
    }

    /** A cache invalidated by the Redis counter {@code generationKey} (bumped with {@link #bump}). */
    public <V> NearCache<V> create(String name, String generationKey, ToIntFunction<V> weigher) {
        NearCache<V> near = new NearCache<>(name, config.maxEntries(), config.maxSize().asLongValue(), weigher,
                metrics);
        if (config.enabled()) {
            Watch watch = new Watch(near, generationKey);
            watches.add(watch);
            watch.subscription = subscriptions.subscribe(generationKey, watch);
            watch.timer = vertx.setPeriodic(config.checkInterval().toMillis(), id -> watch.check());
        }
        return near;
    }

    /**
     * After a committed write: this replica's entries go at once, then the counter moves in Redis and
     * every other replica hears of it. Blocking (one Redis round trip). The second drop is the one that
     * counts for this replica: a read between the first and the new counter may have stored what Redis
     * held under the old one, and the message that would drop it arrives only after the writer has answered.
     */
    public void bump(NearCache<?> near, String generationKey) {
        near.invalidate();
        cache.bumpAndPublish(generationKey, generationKey);
        near.invalidate();
    }

    @PreDestroy
    void stop() {
        for (Watch watch : watches) {
            vertx.cancelTimer(watch.timer);
            watch.subscription.close();
            watch.near.live(false);
        }
    }

    /** One cache's subscription to its generation channel, and the periodic comparison with Redis. */
    private final class Watch implements RedisSubscriptions.Listener {

        final NearCache<?> near;
        final String key;
        /** Confirmed by Redis, and not lost since: only then may the cache serve. */
        volatile boolean subscribed;
        volatile long generation = -1;
        volatile long timer;
        RedisSubscriptions.Subscription subscription;

        Watch(NearCache<?> near, String key) {
            this.near = near;
            this.key = key;
        }

        @Override
        public void onSubscribed() {
            subscribed = true;
            near.live(true); // drops whatever an earlier gap may have left
            LOG.debugf("near cache subscribed to %s", key);
        }

        @Override
        public void onLost() {
            subscribed = false;
            if (near.serving()) {
                LOG.warnf("near cache %s stops serving until its subscription is back", key);
            }
            near.live(false);
        }

        @Override
        public void onMessage(String generation) {
            try {
                this.generation = Math.max(this.generation, Long.parseLong(generation));
            } catch (NumberFormatException e) {
                // any message means "changed"
            }
            near.invalidate();
        }

        /**
         * The counter in Redis moved without a message: drop. Redis does not answer: stop serving until it does
         * (with the subscription still confirmed).
         */
        void check() {
            redis.value(String.class).get(key).ifNoItem().after(CHECK_TIMEOUT).fail()
                    .subscribe().with(value -> {
                        long current = value == null ? 0 : parse(value);
                        if (current != generation) {
                            generation = current;
                            near.invalidate();
                        }
                        if (subscribed && !near.serving()) {
                            near.live(true);
                        }
                    }, e -> {
                        if (near.serving()) {
                            LOG.warnf("near cache %s stops serving while Redis does not answer: %s", key,
                                    e.getMessage());
                        }
                        near.live(false);
                    });
        }
    }

    private static long parse(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
