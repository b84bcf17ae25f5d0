package io.agentnexus.execution;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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

    LogSignals(RedisDataSource redis) {
        this.pubsub = redis.pubsub(String.class);
    }

    void stored(UUID executionId) {
        try {
            pubsub.publish(channel(executionId), "stored");
        } catch (RuntimeException e) {
            LOG.debugf("log signal not published (followers fall back to polling): %s", e.getMessage());
        }
    }

    /** Signals for one execution, until closed. */
    Subscription subscribe(UUID executionId) {
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        try {
            var subscriber = pubsub.subscribe(channel(executionId), signals::offer);
            return new Subscription(signals, subscriber::unsubscribe);
        } catch (RuntimeException e) {
            LOG.debugf("no log signals (polling instead): %s", e.getMessage());
            return new Subscription(signals, () -> { });
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
