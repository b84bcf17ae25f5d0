package io.agentnexus.webhook;

import java.util.Set;
import java.util.UUID;

/** A run's own webhook (the {@code webhook} and {@code webhookEvents} of POST /api/executions). */
public record RunWebhook(UUID executionId, String url, Set<WebhookEventType> events) {
}
