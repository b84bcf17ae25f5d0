package io.agentnexus.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Webhook deliveries: how fast, how long, how often again, and where they may go. */
@ConfigMapping(prefix = "agentnexus.webhooks")
public interface WebhooksConfig {

    /** Connect plus response: a receiver slower than this counts as a failed attempt. */
    @WithDefault("10s")
    Duration timeout();

    /** How often each replica looks for due deliveries (also read by the dispatcher's {@code @Scheduled}). */
    @WithDefault("1s")
    Duration dispatchInterval();

    /**
     * How long a claimed delivery is reserved for the replica sending it; longer than {@link #timeout()}.
     * A replica that dies mid-delivery leaves the lease to expire, and another sends it again (same id).
     */
    @WithDefault("60s")
    Duration lease();

    /** Most deliveries one replica claims and sends at a time. */
    @WithDefault("32")
    int batchSize();

    /**
     * The waits after each failed attempt (the first attempt is immediate); after the last, the delivery is
     * FAILED. The default is Standard Webhooks' (Svix's): about 27 hours in all.
     */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h")
    List<Duration> retrySchedule();

    /** Whether webhooks may reach loopback, private, link-local... addresses: true only in dev and tests. */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Subscriptions one user may have. */
    @WithDefault("20")
    int maxSubscriptionsPerUser();
}
