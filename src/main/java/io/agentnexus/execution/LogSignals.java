package io.agentnexus.execution;

import io.agentnexus.platform.cache.RedisSubscriptions;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
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

    private static final String RESUBSCRIBED = "resubscribed";

    private final PubSubCommands<String> pubsub;
    private final RedisSubscriptions subscriptions;
    private final Duration timeout;

    LogSignals(RedisDataSource redis, RedisSubscriptions subscriptions,
            @ConfigProperty(name = "quarkus.redis.timeout") Duration timeout) {
        this.pubsub = redis.pubsub(String.class);
        this.subscriptions = subscriptions;
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
     * signal falls between their read and the subscription), or after the Redis timeout, when Redis cannot
     * confirm it (callers re-read on their own clock then). After a gap in the subscription a signal comes
     * too: what was published meanwhile is lost, and one read catches up.
     */
    Subscription subscribe(UUID executionId) {
        BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        CountDownLatch settled = new CountDownLatch(1);
        RedisSubscriptions.Subscription subscription = subscriptions.subscribe(channel(executionId),
                new RedisSubscriptions.Listener() {
                    @Override
                    public void onMessage(String message) {
                        signals.offer(message);
                    }

                    @Override
                    public void onSubscribed() {
                        if (settled.getCount() == 0) {
                            signals.offer(RESUBSCRIBED);
                        }
                        settled.countDown();
                    }

                    @Override
                    public void onLost() {
                        settled.countDown(); // no need to wait for a confirmation that cannot come soon
                    }
                });
        try {
            if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debugf("no confirmation of the log signals of %s (polling instead)", executionId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Subscription(signals, subscription);
    }

    record Subscription(BlockingQueue<String> signals, RedisSubscriptions.Subscription redis) implements AutoCloseable {
        @Override
        public void close() {
            redis.close();
        }
    }

    static String channel(UUID executionId) {
        return "execution-logs:" + executionId;
    }
}
