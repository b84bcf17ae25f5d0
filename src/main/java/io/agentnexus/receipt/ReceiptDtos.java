package io.agentnexus.receipt;

import io.agentnexus.execution.ExecutionStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the receipt and platform endpoints. */
public final class ReceiptDtos {

    private ReceiptDtos() {
    }

    /** A signed run receipt: the run's facts, and the typed data (with their signed encoding) the signature covers. */
    public record ReceiptView(
            UUID executionId,
            UUID agentId,
            String imageDigest,
            @Schema(description = "SHA-256 of the input's RFC 8785 canonical JSON, 0x-hex") String inputHash,
            @Schema(description = "SHA-256 of the output's RFC 8785 canonical JSON, 0x-hex; null without output")
            String outputHash,
            ExecutionStatus status,
            Integer exitCode,
            Instant startedAt,
            Instant endedAt,
            String paymentId,
            @Schema(description = "EIP-712 typed data exactly as eth_signTypedData_v4 takes it") Map<String, Object> typedData,
            @Schema(description = "EIP-712 digest of typedData, 0x-hex") String digest,
            @Schema(description = "r ‖ s ‖ v (65 bytes, v = 27 or 28), 0x-hex") String signature,
            @Schema(description = "the receipt signer's address (compare with GET /api/platform)") String signer) {
    }

    /** What a client needs to know of the platform to check what it is told: the chain, contracts and signer. */
    public record PlatformView(long chainId, String escrowAddress, String entitlementsAddress, String receiptSigner,
            Map<String, Object> receiptDomain) {
    }
}
