package io.agentnexus.execution;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fan-out through Redis: the replica running an execution publishes a signal each time it has stored
 * new log lines (and when the run ends); followers on any replica wake up on it and read the new rows
 * from PostgreSQL, which stays the one source of truth. Without Redis, followers poll instead.
 */
@ApplicationScoped
class LogSignals {

    private static final Logger LOG = Logger.getLogger(LogSignals.class);

    private final PubSubCommands<String> pubsub;
    private final ReactiveRedisDataSource reactive;
    private final Duration timeout;

    LogSignals(RedisDataSource redis, ReactiveRedisDataSource reactive,
            @ConfigProperty(name = "quarkus.redis.timeout") Duration timeout) {
        this.pubsub = redis.pubsub(String.class);
        this.reactive = reactive;
        this.timeout = timeout;
    }

    void stored(UUID executionId) {
        try {
            pubsub.publish(channel(executionId), "stored");
        } catch (RuntimeException e) {
            LOG.debugf("log signal not published (followers fall back to polling): %s", e.getMessage());
        }
    }

    /**
     * Signals for one execution, until closed: active once this returns (callers read after it, so that no
     * signal falls between their read and the subscription). On a connection of its own, with the handler in
     * place before SUBSCRIBE goes out: the shared pub/sub helper could hand a confirmation to no one when
     * subscriptions come and go quickly, and the caller then waited out the whole Redis timeout (2 s).
     */
    Subscription subscribe(UUID executionId) {
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        RedisConnection connection = null;
        try {
            connection = reactive.getRedis().connect().await().atMost(timeout);
            CountDownLatch confirmed = new CountDownLatch(1);
            connection.handler(event -> onEvent(event, signals, confirmed));
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel(executionId))).subscribe()
                    .with(reply -> confirmed.countDown(), failure -> { });
            if (!confirmed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debugf("no confirmation of the log signals of %s (polling instead)", executionId);
            }
            RedisConnection subscribed = connection;
            return new Subscription(signals, () -> subscribed.closeAndForget());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return closed(connection, signals);
        } catch (RuntimeException e) {
            LOG.debugf("no log signals (polling instead): %s", e.getMessage());
            return closed(connection, signals);
        }
    }

    private static Subscription closed(RedisConnection connection, BlockingQueue<String> signals) {
        if (connection != null) {
            connection.closeAndForget();
        }
        return new Subscription(signals, () -> { });
    }

    private static void onEvent(Response event, BlockingQueue<String> signals, CountDownLatch confirmed) {
        if (event == null || event.size() < 3) {
            return;
        }
        String kind = event.get(0).toString();
        if ("subscribe".equalsIgnoreCase(kind)) {
            confirmed.countDown();
        } else if ("message".equalsIgnoreCase(kind)) {
            signals.offer(event.get(2).toString());
        }
    }

    record Subscription(BlockingQueue<String> signals, Runnable unsubscribe) implements AutoCloseable {
        @Override
        public void close() {
            try {
                unsubscribe.run();
            } catch (RuntimeException ignored) {
                // Redis gone: nothing to unsubscribe from
            }
        }
    }

    static String channel(UUID executionId) {
        return "execution-logs:" + executionId;
    }
}
