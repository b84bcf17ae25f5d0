package io.agentnexus.execution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.purchase.PurchaseService;
import io.agentnexus.webhook.RunWebhook;
import io.agentnexus.webhook.WebhookEventType;
import io.agentnexus.webhook.WebhookOutbox;
import io.agentnexus.webhook.WebhookService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;

/**
 * Webhook events of runs: the run's own webhook from its submit request, and the event of each state change,
 * published in the transaction that makes the change. Data: the execution as GET /api/executions/{id} shows it.
 */
@ApplicationScoped
class ExecutionEvents {

    private static final Map<ExecutionStatus, WebhookEventType> EVENTS = Map.of(
            ExecutionStatus.RUNNING, WebhookEventType.EXECUTION_STARTED,
            ExecutionStatus.SUCCEEDED, WebhookEventType.EXECUTION_SUCCEEDED,
            ExecutionStatus.FAILED, WebhookEventType.EXECUTION_FAILED,
            ExecutionStatus.TIMED_OUT, WebhookEventType.EXECUTION_TIMED_OUT,
            ExecutionStatus.CANCELLED, WebhookEventType.EXECUTION_CANCELLED);

    private final WebhookOutbox outbox;
    private final WebhookService webhooks;
    private final ObjectMapper json;
    private final EntityManager em;
    private final PurchaseService purchases;

    ExecutionEvents(WebhookOutbox outbox, WebhookService webhooks, ObjectMapper json, EntityManager em,
            PurchaseService purchases) {
        this.purchases = purchases;
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.json = json;
        this.em = em;
    }

    /** The request's webhook and event filter, checked (400) and stored on the new execution. */
    void setWebhook(Execution execution, ExecutionDtos.Submit request) {
        RunWebhook webhook = webhooks.runWebhook(null, request.webhook(), request.webhookEvents());
        if (webhook != null) {
            execution.webhookUrl = webhook.url();
            execution.webhookEvents = WebhookEventType.wireNames(webhook.events());
        }
    }

    /** The event of the status the execution has now, to its own webhook and its user's subscriptions. */
    void published(Execution execution) {
        WebhookEventType type = EVENTS.get(execution.status);
        if (type == null) {
            return;
        }
        RunWebhook webhook = execution.webhookUrl == null ? null : new RunWebhook(execution.id, execution.webhookUrl,
                WebhookEventType.parse(execution.webhookEvents, "webhookEvents"));
        Map<String, Object> data = json.convertValue(ExecutionService.view(execution, purchases), new TypeReference<>() { });
        outbox.publish(execution.user.id, type, data, webhook);
    }

    /** For rows a native update changed: read as they are now. */
    void published(UUID executionId) {
        published(em.find(Execution.class, executionId));
    }
}
