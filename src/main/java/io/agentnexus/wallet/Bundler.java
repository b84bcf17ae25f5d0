package io.agentnexus.wallet;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The ERC-4337 bundler (the standard eth_* user operation methods, EntryPoint v0.7). An unreachable
 * bundler is a {@link io.agentnexus.platform.error.DependencyUnavailableException}; a refusal is
 * {@link OperationRejected}.
 */
public interface Bundler {

    /** Gas limits for the operation (its signature may be a placeholder). */
    UserOperation.Gas estimate(UserOperation operation);

    /** Hands the signed operation over; the bundler's userOpHash. */
    String send(UserOperation operation);

    /** Where the operation landed, once a bundle holding it is mined. */
    Optional<Inclusion> receipt(String userOpHash);

    /** Whether the bundler still knows the operation (in its mempool or mined). */
    boolean knows(String userOpHash);

    /** The EntryPoint's account of an included operation. */
    record Inclusion(String transactionHash, boolean success, BigInteger actualGasCost, BigInteger actualGasUsed,
            String reason) {
    }
}
