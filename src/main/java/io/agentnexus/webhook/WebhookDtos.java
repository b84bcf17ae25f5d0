package io.agentnexus.webhook;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the webhook endpoints. */
public final class WebhookDtos {

    private WebhookDtos() {
    }

    /** POST /api/webhooks. */
    public record Create(
            @NotBlank @Size(max = 2048) @Schema(description = "http or https; no user or password; not a private "
                    + "or loopback address") String url,
            @NotEmpty @Size(max = 16) @Schema(description = "Event types, e.g. execution.succeeded, purchase.confirmed")
            List<@NotNull String> events,
            @Size(max = 200) String description,
            @Schema(description = "Default true; a disabled subscription keeps its deliveries waiting") Boolean enabled) {
    }

    /** PATCH /api/webhooks/{id}: only the fields given change. */
    public record Update(@Size(min = 1, max = 2048) String url, @Size(min = 1, max = 16) List<@NotNull String> events,
            @Size(max = 200) String description, Boolean enabled) {
    }

    public record SubscriptionView(
            UUID id,
            String url,
            List<String> events,
            String description,
            boolean enabled,
            @Schema(description = "whsec_...: only in the answers of create and rotate") String secret,
            Instant createdAt,
            Instant updatedAt) {
    }

    public record SubscriptionList(List<SubscriptionView> webhooks, int page, int size, long total) {
    }

    /** GET /api/webhooks/secret: signs the per-run webhooks (`webhook` of POST /api/executions). */
    public record SigningSecret(String key) {
    }

    public record DeliveryView(
            @Schema(description = "The webhook-id header of every attempt: deduplicate on it") String id,
            @Schema(description = "Null for a run's own webhook") UUID subscriptionId,
            UUID executionId,
            String url,
            String eventType,
            WebhookDelivery.Status status,
            @Schema(description = "Attempts since it was queued (or queued again)") int attempts,
            Integer lastStatusCode,
            String lastError,
            @Schema(description = "When PENDING: when it is due (or, while an attempt is in flight, when that "
                    + "attempt's lease ends)") Instant nextAttemptAt,
            Instant lastAttemptAt,
            Instant deliveredAt,
            Instant createdAt) {
    }

    public record DeliveryList(List<DeliveryView> deliveries, int page, int size, long total) {
    }
}
