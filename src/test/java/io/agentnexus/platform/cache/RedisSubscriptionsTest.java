package io.agentnexus.platform.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Await;
import io.agentnexus.support.EmbeddedServersResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against the real Redis: one connection for every subscription, confirmations that mean what they say. */
@QuarkusTest
class RedisSubscriptionsTest {

    @Inject
    RedisSubscriptions subscriptions;

    @Inject
    RedisDataSource redis;

    @Test
    void manySubscriptionsShareOneConnectionAndEachHearsOnlyItsChannel() throws InterruptedException {
        List<Heard> heard = new ArrayList<>();
        List<RedisSubscriptions.Subscription> open = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Heard listener = new Heard("test-many:" + UUID.randomUUID());
                heard.add(listener);
                open.add(subscriptions.subscribe(listener.channel, listener));
            }
            for (Heard listener : heard) {
                listener.awaitSubscribed();
            }
            assertEquals(1, pubsubConnections(), "one connection carries them all (and the near cache's)");
            for (Heard listener : heard) {
                redis.pubsub(String.class).publish(listener.channel, "to " + listener.channel);
            }
            for (Heard listener : heard) {
                assertEquals("to " + listener.channel, listener.messages.poll(5, TimeUnit.SECONDS));
                assertNull(listener.messages.poll(50, TimeUnit.MILLISECONDS), "nothing from other channels");
            }
        } finally {
            open.forEach(RedisSubscriptions.Subscription::close);
        }
        Await.until(() -> subscribers(heard.get(0).channel), n -> n == 0, Duration.ofSeconds(5), "unsubscribed");
    }

    /**
     * A channel left and joined again at once: its confirmation may only come from the last SUBSCRIBE (an earlier
     * one's would be followed by the UNSUBSCRIBE's, and a message published in between would be lost).
     */
    @Test
    void aConfirmationAfterChurnMeansTheChannelIsSubscribed() throws InterruptedException {
        String channel = "test-churn:" + UUID.randomUUID();
        for (int round = 0; round < 200; round++) {
            Heard first = new Heard(channel);
            RedisSubscriptions.Subscription left = subscriptions.subscribe(channel, first);
            left.close();
            Heard second = new Heard(channel);
            try (RedisSubscriptions.Subscription joined = subscriptions.subscribe(channel, second)) {
                second.awaitSubscribed();
                redis.pubsub(String.class).publish(channel, "round " + round);
                assertEquals("round " + round, second.messages.poll(5, TimeUnit.SECONDS), "round " + round);
            }
        }
        Await.until(() -> subscribers(channel), n -> n == 0, Duration.ofSeconds(5), "unsubscribed at the end");
    }

    @Test
    void listenersHearOfAnOutageAndOfTheSubscriptionComingBack() throws InterruptedException {
        Heard listener = new Heard("test-outage:" + UUID.randomUUID());
        try (RedisSubscriptions.Subscription open = subscriptions.subscribe(listener.channel, listener)) {
            listener.awaitSubscribed();
            EmbeddedServersResource.servers().stopRedis();
            try {
                assertEquals("lost", listener.events.poll(10, TimeUnit.SECONDS));
            } finally {
                EmbeddedServersResource.servers().startRedis();
            }
            assertEquals("subscribed", listener.events.poll(15, TimeUnit.SECONDS), "subscribed again");
            redis.pubsub(String.class).publish(listener.channel, "after the outage");
            assertEquals("after the outage", listener.messages.poll(5, TimeUnit.SECONDS));
        }
    }

    private long pubsubConnections() {
        return redis.execute("CLIENT", "LIST", "TYPE", "pubsub").toString().lines()
                .filter(line -> !line.isBlank()).count();
    }

    private int subscribers(String channel) {
        return redis.execute("PUBSUB", "NUMSUB", channel).get(1).toInteger();
    }

    /** What a listener heard: messages, and "subscribed" / "lost" in order. */
    private static final class Heard implements RedisSubscriptions.Listener {
        final String channel;
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        Heard(String channel) {
            this.channel = channel;
        }

        @Override
        public void onMessage(String message) {
            messages.offer(message);
        }

        @Override
        public void onSubscribed() {
            events.offer("subscribed");
        }

        @Override
        public void onLost() {
            events.offer("lost");
        }

        void awaitSubscribed() throws InterruptedException {
            assertEquals("subscribed", events.poll(5, TimeUnit.SECONDS), channel);
            assertTrue(events.isEmpty());
        }
    }
}
