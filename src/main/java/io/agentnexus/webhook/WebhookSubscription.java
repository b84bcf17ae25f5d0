package io.agentnexus.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An account's standing order: send these events of mine to this URL, signed with this secret. */
@Entity
@Table(name = "webhook_subscriptions")
public class WebhookSubscription extends PanacheEntityBase {

    @Id
    @GeneratedValue
    public UUID id;

    public UUID userId;

    public String url;

    /** Wire names ({@link WebhookEventType#wireName()}). */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> eventTypes;

    /** whsec_...: shown to its owner when created and when rotated, never in lists. */
    public String secret;

    public boolean enabled;

    public String description;

    public Instant createdAt;

    public Instant updatedAt;

    /** The user's own subscription, or null (another user's is as good as absent). */
    static WebhookSubscription owned(UUID id, UUID userId) {
        return find("id = ?1 and userId = ?2", id, userId).firstResult();
    }
}
