package io.agentnexus.execution;

import io.agentnexus.purchase.PayWith;
import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Bodies of the execution endpoints. */
public final class ExecutionDtos {

    private ExecutionDtos() {
    }

    /**
     * POST /api/executions: the input must match the agent's inputSchema. payWith, for a pay-per-run agent: who
     * sends the run's escrow deposit, the buyer's wallet (default) or smart account (a sponsored operation).
     */
    public record Submit(@NotNull UUID agentId, @NotNull Map<String, Object> input, PayWith payWith,
            @Size(max = 2048) @Schema(description = "Optional: a URL that gets this run's events, signed with the "
                    + "account's secret (GET /api/webhooks/secret)") String webhook,
            @Size(min = 1, max = 5) @Schema(description = "The execution.* events the webhook gets; default: all")
            List<@NotNull String> webhookEvents) {
    }

    public record ExecutionView(
            UUID id,
            UUID agentId,
            String agentName,
            ExecutionStatus status,
            Map<String, Object> input,
            Map<String, Object> output,
            String errorMessage,
            Integer exitCode,
            boolean oomKilled,
            String imageDigest,
            @Schema(description = "1 for the first run; higher when the platform (not the agent) interrupted"
                    + " earlier attempts and queued the run again") int attempt,
            Instant createdAt,
            Instant startedAt,
            Instant endedAt,
            Long durationMs,
            @Schema(description = "A pay-per-run agent's run: its own escrow payment (while AWAITING_PAYMENT, the "
                    + "transaction or sponsored operation that pays it); released when the run succeeds, refunded "
                    + "otherwise") PurchaseView payment) {
    }

    public record ExecutionList(List<ExecutionView> executions, int page, int size, long total) {
    }
}
