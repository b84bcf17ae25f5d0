package io.agentnexus.purchase;

import io.agentnexus.chain.Chain;
import io.agentnexus.platform.validation.EthAddress;
import io.agentnexus.platform.validation.TxHash;
import io.agentnexus.wallet.WalletDtos.OperationView;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the purchase endpoints. */
public final class PurchaseDtos {

    private PurchaseDtos() {
    }

    /**
     * POST /api/purchases. token, if given, must be the agent's price token. payWith "smart-account": the
     * deposit comes from the buyer's smart account in a sponsored operation (default "wallet").
     */
    public record Create(@NotNull UUID agentId, @EthAddress String token, PayWith payWith) {
    }

    /** POST /api/purchases/{id}/dispute: why the buyer wants the money back. */
    public record Dispute(@NotBlank @Size(max = 2000) String reason) {
    }

    /** POST /api/purchases/{id}/confirm. */
    public record Confirm(@NotNull @TxHash String txHash) {
    }

    public record PurchaseView(
            UUID id,
            @Schema(description = "access: buys the agent (an entitlement); run: pays for one run of a pay-per-run agent")
            PurchaseKind kind,
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
            @Schema(description = "Access purchases: until when the buyer may dispute; then it settles by itself")
            Instant disputeWindowEndsAt,
            Instant disputedAt,
            String disputeReason,
            Instant settledAt,
            String settleTxHash,
            @Schema(description = "Why it was released or refunded (the automatic decision's grounds, or an admin)")
            String settlementReason,
            Instant createdAt,
            PayWith payWith,
            /** The wallet the escrow accepts the deposit from: the buyer's wallet or smart account. */
            String payer,
            /** What the buyer's wallet must send; only while a purchase paid from the wallet is unpaid. */
            Chain.UnsignedTransaction transaction,
            /** The smart account's deposit operation (payWith smart-account). */
            UUID operationId,
            /** That operation, prepared and sponsored, in the answer that creates the purchase: sign its userOpHash. */
            OperationView operation) {
    }

    public record PurchaseList(List<PurchaseView> purchases, int page, int size, long total) {
    }
}
