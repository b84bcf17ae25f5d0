package io.agentnexus.wallet;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Sponsors through the VerifyingPaymaster of {@code @account-abstraction/contracts} 0.7: the platform's key
 * signs (EIP-191) the paymaster's hash of the operation and a validity window; the contract pays for any
 * operation carrying such a signature, so the policy is enforced before signing.
 */
final class VerifyingPaymasterSigner implements Paymaster {

    private final String paymaster;
    private final Credentials signer;
    private final Bundler bundler;
    private final long chainId;
    private final Duration validity;
    private final Supplier<Instant> chainTime;

    VerifyingPaymasterSigner(String paymaster, Credentials signer, Bundler bundler, long chainId, Duration validity,
            Supplier<Instant> chainTime) {
        this.paymaster = paymaster.toLowerCase();
        this.signer = signer;
        this.bundler = bundler;
        this.chainId = chainId;
        this.validity = validity;
        this.chainTime = chainTime;
    }

    @Override
    public UserOperation sponsor(UserOperation draft) {
        // The chain's clock, not ours: the EntryPoint checks the window against block timestamps.
        BigInteger validUntil = BigInteger.valueOf(chainTime.get().plus(validity).getEpochSecond());
        BigInteger validAfter = BigInteger.ZERO;
        String window = Numeric.toHexString(UserOperation.concat(UserOperation.word(validUntil),
                UserOperation.word(validAfter)));
        UserOperation stub = draft.withPaymaster(paymaster, BigInteger.ZERO, BigInteger.ZERO,
                window + Numeric.cleanHexPrefix(UserOperation.DUMMY_SIGNATURE));
        UserOperation estimated = stub.withGas(bundler.estimate(stub));
        return estimated.withPaymasterData(window + Numeric.cleanHexPrefix(sign(hash(estimated, validUntil, validAfter))));
    }

    /** VerifyingPaymaster.getHash(userOp, validUntil, validAfter), as the contract computes it. */
    byte[] hash(UserOperation op, BigInteger validUntil, BigInteger validAfter) {
        return Hash.sha3(UserOperation.concat(UserOperation.word(op.sender()), UserOperation.word(op.nonce()),
                Hash.sha3(op.initCode()), Hash.sha3(UserOperation.bytes(op.callData())), op.accountGasLimits(),
                op.paymasterGasLimits(), UserOperation.word(op.preVerificationGas()), op.gasFees(),
                UserOperation.word(BigInteger.valueOf(chainId)), UserOperation.word(paymaster),
                UserOperation.word(validUntil), UserOperation.word(validAfter)));
    }

    /** r ‖ s ‖ v of the EIP-191 signature of the hash. */
    private String sign(byte[] hash) {
        Sign.SignatureData signature = Sign.signPrefixedMessage(hash, signer.getEcKeyPair());
        return Numeric.toHexString(UserOperation.concat(signature.getR(), signature.getS(), signature.getV()));
    }
}
