package io.agentnexus.purchase;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.webhook.WebhookEventType;
import io.agentnexus.webhook.WebhookOutbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Webhook events of purchases (confirmed, disputed, released, refunded), published in the transaction that makes
 * the change. Data: the purchase as GET /api/purchases/{id} shows it.
 */
@ApplicationScoped
class PurchaseEvents {

    private final WebhookOutbox outbox;
    private final PurchaseViews views;
    private final ObjectMapper json;

    PurchaseEvents(WebhookOutbox outbox, PurchaseViews views, ObjectMapper json) {
        this.outbox = outbox;
        this.views = views;
        this.json = json;
    }

    void published(Purchase purchase, WebhookEventType type) {
        Map<String, Object> data = json.convertValue(views.of(purchase), new TypeReference<>() { });
        outbox.publish(purchase.user.id, type, data, null);
    }
}
