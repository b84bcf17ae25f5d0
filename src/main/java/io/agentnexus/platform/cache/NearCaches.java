package io.agentnexus.platform.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.core.Vertx;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
    private final RedisCache cache;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final NearCacheConfig config;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    NearCaches(ReactiveRedisDataSource redis, RedisCache cache, Vertx vertx, MeterRegistry metrics,
            NearCacheConfig config) {
        this.redis = redis;
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
            watch.subscribe();
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

    /** Before the Redis client closes, so that its closing connections are not mistaken for an outage. */
    void onShutdown(@Observes ShutdownEvent event) {
        stopped = true;
    }

    @PreDestroy
    void stop() {
        stopped = true;
        for (Watch watch : watches) {
            vertx.cancelTimer(watch.timer);
            watch.near.live(false);
            watch.close();
        }
    }

    private final class Watch {

        final NearCache<?> near;
        final String key;
        final AtomicBoolean resubscribing = new AtomicBoolean();
        /** Which subscription is current: the callbacks of a closed one must not touch the cache. */
        final AtomicLong attempt = new AtomicLong();
        volatile RedisConnection connection;
        volatile long generation = -1;
        volatile long timer;

        Watch(NearCache<?> near, String key) {
            this.near = near;
            this.key = key;
        }

        // On a connection of our own, with the handler in place before SUBSCRIBE goes out: serving starts with
        // Redis's confirmation, never before.
        void subscribe() {
            long mine = attempt.incrementAndGet();
            redis.getRedis().connect().subscribe().with(connection -> {
                this.connection = connection;
                if (stopped || attempt.get() != mine) {
                    close();
                    return;
                }
                connection.handler(event -> onEvent(mine, event));
                connection.endHandler(() -> lost(mine, null));
                connection.exceptionHandler(e -> lost(mine, e));
                connection.send(Request.cmd(Command.SUBSCRIBE).arg(key)).subscribe()
                        .with(reply -> confirmed(mine), e -> lost(mine, e));
                vertx.setTimer(CHECK_TIMEOUT.toMillis(), id -> {
                    if (attempt.get() == mine && !near.serving()) {
                        lost(mine, new IllegalStateException("no confirmation of SUBSCRIBE " + key));
                    }
                });
            }, e -> lost(mine, e));
        }

        void onEvent(long mine, Response event) {
            if (attempt.get() != mine || event == null || event.size() < 3) {
                return;
            }
            String kind = event.get(0).toString();
            if ("subscribe".equalsIgnoreCase(kind)) {
                confirmed(mine);
            } else if ("message".equalsIgnoreCase(kind)) {
                onMessage(event.get(2).toString());
            }
        }

        void confirmed(long mine) {
            if (attempt.get() == mine && !stopped && !near.serving()) {
                near.live(true); // drops whatever an earlier gap may have left
                LOG.debugf("near cache subscribed to %s", key);
            }
        }

        void onMessage(String generation) {
            try {
                this.generation = Math.max(this.generation, Long.parseLong(generation));
            } catch (NumberFormatException e) {
                // any message means "changed"
            }
            near.invalidate();
        }

        /** The counter in Redis moved without a message (or Redis does not answer): drop, or stop serving. */
        void check() {
            if (!near.serving()) {
                return;
            }
            long mine = attempt.get();
            redis.value(String.class).get(key).ifNoItem().after(CHECK_TIMEOUT).fail()
                    .subscribe().with(value -> {
                        long current = value == null ? 0 : parse(value);
                        if (current != generation) {
                            generation = current;
                            near.invalidate();
                        }
                    }, e -> lost(mine, e));
        }

        void lost(long which, Throwable failure) {
            if (attempt.get() != which) {
                return;
            }
            boolean wasServing = near.serving();
            near.live(false);
            if (stopped || !resubscribing.compareAndSet(false, true)) {
                return;
            }
            if (wasServing) {
                LOG.warnf("near cache %s stops serving until its subscription is back: %s", key,
                        failure == null ? "connection closed" : failure.getMessage());
            }
            attempt.incrementAndGet(); // from here on, the old subscription's callbacks are ignored
            close();
            vertx.setTimer(config.resubscribeDelay().toMillis(), id -> {
                resubscribing.set(false);
                subscribe();
            });
        }

        void close() {
            RedisConnection current = connection;
            connection = null;
            if (current != null) {
                current.send(Request.cmd(Command.UNSUBSCRIBE)).onItemOrFailure()
                        .transformToUni((reply, failure) -> current.close())
                        .subscribe().with(ok -> { }, e -> { });
            }
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
