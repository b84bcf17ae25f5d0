package io.agentnexus.webhook;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Sends the due deliveries of the outbox, on every replica: each claims a batch (SKIP LOCKED, under a lease),
 * sends it outside any transaction, in parallel, and records each outcome. A replica killed mid-delivery
 * sends nothing more; when its lease ends another replica sends the same message again (at least once,
 * same webhook-id).
 */
@ApplicationScoped
class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private final WebhookOutbox outbox;
    private final WebhookSender sender;
    private final Clock clock;
    private final int batchSize;
    private final Duration lease;

    WebhookDispatcher(WebhookOutbox outbox, WebhookSender sender, Clock clock, WebhooksConfig config) {
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
        this.batchSize = config.batchSize();
        if (config.lease().compareTo(config.timeout()) <= 0) {
            throw new IllegalStateException("agentnexus.webhooks.lease must be longer than agentnexus.webhooks.timeout,"
                    + " or a slow delivery could be sent twice at once");
        }
        this.lease = config.lease();
    }

    @Scheduled(identity = "webhook-dispatcher", every = "${agentnexus.webhooks.dispatch-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            while (dispatch() == batchSize) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook dispatch failed, trying again at the next tick: %s", e.getMessage());
        }
    }

    /** Claims, sends and records one batch; how many it held. */
    int dispatch() {
        List<WebhookOutbox.Due> due = outbox.claim(batchSize, lease);
        List<CompletableFuture<WebhookSender.Outcome>> sent = due.stream().map(this::send).toList();
        for (int i = 0; i < due.size(); i++) {
            WebhookSender.Outcome outcome = sent.get(i).join();
            if (!outcome.delivered()) {
                LOG.debugf("webhook %s attempt %d failed: %s", due.get(i).id(), due.get(i).attempt(), outcome.error());
            }
            outbox.record(due.get(i), outcome);
        }
        return due.size();
    }

    private CompletableFuture<WebhookSender.Outcome> send(WebhookOutbox.Due due) {
        long timestamp = clock.instant().getEpochSecond();
        try {
            return sender.send(due.url(), Map.of("webhook-id", due.id(), "webhook-timestamp", Long.toString(timestamp),
                    "webhook-signature", WebhookSignature.sign(due.secret(), due.id(), timestamp, due.payload())),
                    due.payload());
        } catch (RuntimeException e) { // a URL or secret that cannot be used: a failed attempt, not a stuck batch
            return CompletableFuture.completedFuture(WebhookSender.Outcome.failed(e.toString()));
        }
    }
}
