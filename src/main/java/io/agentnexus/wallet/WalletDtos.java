package io.agentnexus.wallet;

import io.agentnexus.platform.validation.EcdsaSignature;
import io.agentnexus.platform.validation.EthAddress;
import io.agentnexus.platform.validation.HexBytes;
import io.agentnexus.platform.validation.Wei;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Bodies of the smart-account endpoints. */
public final class WalletDtos {

    private WalletDtos() {
    }

    /** GET /api/users/me/wallet. The address is counterfactual: known (and fundable) before it is deployed. */
    public record AccountView(String address, String owner, boolean deployed, String entryPoint, String factory,
            long chainId) {
    }

    /** One call of an operation: value in wei (default 0), data as 0x-hex (default empty). */
    public record CallRequest(@NotNull @EthAddress String to, @Wei String value, @HexBytes @Size(max = 65_536) String data) {
    }

    /** POST /api/users/me/wallet/operations. sponsored defaults to true: the platform's paymaster pays the gas. */
    public record PrepareRequest(@NotEmpty @Size(max = 32) List<@NotNull @Valid CallRequest> calls, Boolean sponsored) {
    }

    /** POST /api/users/me/wallet/operations/{id}/signature: the owner's EIP-191 signature of userOpHash. */
    public record SignatureRequest(@NotNull @EcdsaSignature String signature) {
    }

    /**
     * EntryPoint v0.7's PackedUserOperation, every field 0x-hex: accountGasLimits = verificationGasLimit ‖
     * callGasLimit, gasFees = maxPriorityFeePerGas ‖ maxFeePerGas (16 bytes each), paymasterAndData =
     * paymaster ‖ its verification and postOp gas limits ‖ paymasterData.
     */
    public record PackedUserOperation(String sender, String nonce, String initCode, String callData,
            String accountGasLimits, String preVerificationGas, String gasFees, String paymasterAndData,
            String signature) {
    }

    public record OperationView(
            UUID id,
            OperationStatus status,
            /** What the owner signs with personal_sign (EIP-191). */
            String userOpHash,
            boolean sponsored,
            List<Map<String, String>> calls,
            PackedUserOperation userOperation,
            /** The same operation in the bundler RPC's unpacked form (eth_sendUserOperation). */
            Map<String, String> rpcUserOperation,
            String entryPoint,
            long chainId,
            /** Sign and submit before this; then prepare a new one. */
            Instant expiresAt,
            String bundleTxHash,
            Boolean success,
            /** Wei the EntryPoint charged (the paymaster, when sponsored). */
            String actualGasCost,
            String actualGasUsed,
            String failureReason,
            Instant createdAt,
            Instant submittedAt,
            Instant includedAt) {
    }

    public record OperationList(List<OperationView> operations, int page, int size, long total) {
    }
}
