package io.agentnexus.purchase;

import io.agentnexus.chain.Chain;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Bodies of the purchase endpoints. */
public final class PurchaseDtos {

    private PurchaseDtos() {
    }

    /** POST /api/purchases. token, if given, must be the agent's price token. */
    public record Create(@NotNull UUID agentId,
            @Pattern(regexp = "^0x[0-9a-fA-F]{40}$", message = "must be a 0x-prefixed 20-byte hex address") String token) {
    }

    /** POST /api/purchases/{id}/confirm. */
    public record Confirm(@NotNull @Pattern(regexp = "^0x[0-9a-fA-F]{64}$",
            message = "must be a transaction hash (0x + 64 hex digits)") String txHash) {
    }

    public record PurchaseView(
            UUID id,
            UUID agentId,
            String agentName,
            PurchaseStatus status,
            String paymentId,
            String amount,
            String token,
            long chainId,
            String escrowAddress,
            Instant expiresAt,
            String txHash,
            Instant confirmedAt,
            Instant settledAt,
            String settleTxHash,
            Instant createdAt,
            /** What the buyer's wallet must send; only while the purchase is unpaid. */
            Chain.UnsignedTransaction transaction) {
    }

    public record PurchaseList(List<PurchaseView> purchases, int page, int size, long total) {
    }
}
