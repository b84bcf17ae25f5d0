package io.agentnexus.platform.cache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every Redis subscription of this instance, on one connection of its own: a channel is subscribed while
 * someone here listens to it and unsubscribed when the last one leaves. A subscription per waiter would hold a
 * pooled connection each (fifty sync runs exhausted the pool, and publishing waited for a free connection).
 * <p>
 * Listeners learn when their channel is subscribed, which Redis confirms ({@code onSubscribed}: from then on no
 * message is missed), and when the connection is lost ({@code onLost}: messages may be missed until the next
 * {@code onSubscribed}, after a reconnect). Callbacks run on an event loop, under this class's lock: they must be
 * quick and never block.
 */
@ApplicationScoped
public class RedisSubscriptions {

    private static final Logger LOG = Logger.getLogger(RedisSubscriptions.class);
    /** Pause between attempts to connect again after the connection was lost. */
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    /** What a subscriber hears of its channel. */
    public interface Listener {

        void onMessage(String message);

        /** Redis confirmed the channel (first, or again after a gap): every later message arrives. */
        default void onSubscribed() {
        }

        /** Not subscribed now (Redis cannot be reached, or the connection died); {@code onSubscribed} follows. */
        default void onLost() {
        }
    }

    /** One listener on one channel, until closed. */
    public final class Subscription implements AutoCloseable {
        private final String channel;
        private final Listener listener;

        private Subscription(String channel, Listener listener) {
            this.channel = channel;
            this.listener = listener;
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }

    /** A channel's listeners, and where Redis stands with it on the current connection. */
    private static final class Channel {
        final Set<Subscription> subscriptions = new LinkedHashSet<>();
        /** SUBSCRIBE and UNSUBSCRIBE commands sent, and confirmed: Redis answers them in order. */
        long sent;
        long answered;
        /** Confirmed, with nothing sent since: what Redis holds for this channel is what the listeners want. */
        boolean subscribed;
    }

    private final ReactiveRedisDataSource redis;
    private final Vertx vertx;
    private final Duration timeout;
    private final Object lock = new Object();
    private final Map<String, Channel> channels = new HashMap<>();
    private RedisConnection connection;
    private boolean connecting;
    /** The last attempt to connect failed, or the connection died: a new one is due. */
    private boolean down;
    private boolean stopped;

    RedisSubscriptions(ReactiveRedisDataSource redis, Vertx vertx,
            @ConfigProperty(name = "quarkus.redis.timeout") Duration timeout) {
        this.redis = redis;
        this.vertx = vertx;
        this.timeout = timeout;
    }

    /** Listens to {@code channel} until the subscription is closed; the listener hears whether it is subscribed. */
    public Subscription subscribe(String channel, Listener listener) {
        Subscription subscription = new Subscription(channel, listener);
        synchronized (lock) {
            Channel known = channels.computeIfAbsent(channel, name -> new Channel());
            known.subscriptions.add(subscription);
            if (known.subscribed) {
                listener.onSubscribed();
            } else if (connection != null && known.subscriptions.size() == 1) {
                send(Command.SUBSCRIBE, channel, known);
            } else if (down) {
                listener.onLost();
            }
            connect();
        }
        return subscription;
    }

    private void unsubscribe(Subscription subscription) {
        synchronized (lock) {
            Channel known = channels.get(subscription.channel);
            if (known == null || !known.subscriptions.remove(subscription) || !known.subscriptions.isEmpty()) {
                return;
            }
            if (connection != null && (known.subscribed || known.answered < known.sent)) {
                send(Command.UNSUBSCRIBE, subscription.channel, known);
            }
            if (known.answered == known.sent) {
                channels.remove(subscription.channel);
            }
        }
    }

    /** Under the lock: one command, counted until Redis confirms it; a connection that never does is dropped. */
    private void send(Command command, String channel, Channel known) {
        RedisConnection on = connection;
        long number = ++known.sent;
        known.subscribed = false;
        on.send(Request.cmd(command).arg(channel)).subscribe()
                .with(ok -> { }, failure -> later(() -> lost(on, failure)));
        vertx.setTimer(timeout.toMillis(), id -> {
            synchronized (lock) {
                if (connection == on && channels.get(channel) == known && known.answered < number) {
                    lost(on, new IllegalStateException("Redis did not confirm " + command + " " + channel));
                }
            }
        });
    }

    /**
     * Every callback of the Redis client comes here first: it may call while holding the connection's own lock,
     * and this class calls the connection while holding its lock. Queued on the event loop, in order.
     */
    private void later(Runnable callback) {
        vertx.runOnContext(ignored -> callback.run());
    }

    /** Under the lock. */
    private void connect() {
        if (connection != null || connecting || stopped) {
            return;
        }
        connecting = true;
        redis.getRedis().connect().subscribe()
                .with(opened -> later(() -> connected(opened)), failure -> later(() -> connectFailed(failure)));
    }

    private void connected(RedisConnection opened) {
        synchronized (lock) {
            connecting = false;
            if (stopped) {
                opened.closeAndForget();
                return;
            }
            connection = opened;
            down = false;
            opened.handler(event -> later(() -> onEvent(opened, event)));
            opened.endHandler(() -> later(() -> lost(opened, null)));
            opened.exceptionHandler(e -> later(() -> lost(opened, e)));
            channels.values().removeIf(known -> known.subscriptions.isEmpty());
            channels.forEach((channel, known) -> send(Command.SUBSCRIBE, channel, known));
        }
    }

    private void connectFailed(Throwable failure) {
        synchronized (lock) {
            connecting = false;
            LOG.debugf("no Redis connection for subscriptions: %s", failure.getMessage());
            gone();
        }
    }

    private void onEvent(RedisConnection on, Response event) {
        if (event == null || event.size() < 3) {
            return;
        }
        String kind = event.get(0).toString();
        String channel = event.get(1).toString();
        synchronized (lock) {
            Channel known = channels.get(channel);
            if (connection != on || known == null) {
                return;
            }
            if ("message".equalsIgnoreCase(kind)) {
                String message = event.get(2).toString();
                known.subscriptions.forEach(subscription -> subscription.listener.onMessage(message));
            } else if ("subscribe".equalsIgnoreCase(kind) || "unsubscribe".equalsIgnoreCase(kind)) {
                known.answered = Math.min(known.sent, known.answered + 1);
                if (known.answered < known.sent) {
                    return; // a later command decides what Redis holds
                }
                if (known.subscriptions.isEmpty()) {
                    channels.remove(channel);
                } else if ("subscribe".equalsIgnoreCase(kind)) {
                    known.subscribed = true;
                    known.subscriptions.forEach(subscription -> subscription.listener.onSubscribed());
                }
            }
        }
    }

    private void lost(RedisConnection on, Throwable failure) {
        synchronized (lock) {
            if (connection != on) {
                return;
            }
            connection = null;
            on.closeAndForget();
            if (!stopped) {
                LOG.warnf("Redis subscriptions lost, reconnecting: %s",
                        failure == null ? "connection closed" : failure.getMessage());
            }
            gone();
        }
    }

    /** Under the lock: every listener hears it, and a new connection is tried after a pause. */
    private void gone() {
        down = true;
        channels.values().removeIf(known -> known.subscriptions.isEmpty());
        List<Subscription> told = new ArrayList<>();
        for (Channel known : channels.values()) {
            known.answered = known.sent; // nothing more comes from the old connection
            known.subscribed = false;
            told.addAll(known.subscriptions);
        }
        told.forEach(subscription -> subscription.listener.onLost());
        if (!stopped && !channels.isEmpty()) {
            vertx.setTimer(RECONNECT_DELAY.toMillis(), id -> {
                synchronized (lock) {
                    connect();
                }
            });
        }
    }

    /** Before the Redis client closes, so that its closing connection is not mistaken for an outage. */
    void onShutdown(@Observes ShutdownEvent event) {
        synchronized (lock) {
            stopped = true;
        }
    }

    @PreDestroy
    void stop() {
        synchronized (lock) {
            stopped = true;
            if (connection != null) {
                connection.closeAndForget();
                connection = null;
            }
        }
    }
}
