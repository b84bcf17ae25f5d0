package io.agentnexus.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One event for one destination, in the outbox: written in the transaction of the state change, sent by
 * {@link WebhookDispatcher} until a 2xx or the end of the retry schedule. Its id is the webhook-id of every
 * attempt. Written with SQL by {@link WebhookOutbox}; read here.
 */
@Entity
@Table(name = "webhook_deliveries")
public class WebhookDelivery extends PanacheEntityBase {

    public enum Status {
        PENDING, DELIVERED, FAILED
    }

    @Id
    public String id;

    /** Null for a run's own webhook. */
    public UUID subscriptionId;

    public UUID userId;

    public UUID executionId;

    public String url;

    public String eventType;

    @Enumerated(EnumType.STRING)
    public Status status;

    /** Attempts since it was queued (or queued again). */
    public int attempts;

    public Instant nextAttemptAt;

    public Instant lastAttemptAt;

    public Integer lastStatusCode;

    public String lastError;

    public Instant deliveredAt;

    public Instant createdAt;
}
