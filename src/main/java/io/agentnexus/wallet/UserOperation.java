package io.agentnexus.wallet;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * An ERC-4337 user operation for EntryPoint v0.7 in the bundler RPC's unpacked form (addresses and
 * bytes as 0x-hex, quantities as numbers). web3j 5 knows only the v0.6 shape, so the packing into the
 * on-chain {@code PackedUserOperation} and the {@code userOpHash} are computed here.
 * {@code factory} and {@code paymaster} are null when absent.
 */
public record UserOperation(
        String sender,
        BigInteger nonce,
        String factory,
        String factoryData,
        String callData,
        BigInteger callGasLimit,
        BigInteger verificationGasLimit,
        BigInteger preVerificationGas,
        BigInteger maxFeePerGas,
        BigInteger maxPriorityFeePerGas,
        String paymaster,
        BigInteger paymasterVerificationGasLimit,
        BigInteger paymasterPostOpGasLimit,
        String paymasterData,
        String signature) {

    /**
     * A well-formed ECDSA signature (s in the lower half, v = 28) that recovers to some unrelated address:
     * gas is estimated with it, since an all-zero signature makes OpenZeppelin's recover revert.
     */
    public static final String DUMMY_SIGNATURE = "0x" + "f".repeat(31) + "0".repeat(33) + "7" + "a".repeat(63) + "1c";

    private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** A draft: who, which nonce, what to call, at which fees; gas and paymaster still to come. */
    public static UserOperation draft(String sender, BigInteger nonce, String factory, String factoryData,
            String callData, Fees fees) {
        return new UserOperation(sender, nonce, factory, factory == null ? null : factoryData, callData,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, fees.maxFeePerGas(), fees.maxPriorityFeePerGas(),
                null, null, null, null, DUMMY_SIGNATURE);
    }

    /** EIP-1559 fees of an operation. */
    public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    }

    /** The gas limits a bundler estimates (the paymaster's two are null without a paymaster). */
    public record Gas(BigInteger preVerificationGas, BigInteger verificationGasLimit, BigInteger callGasLimit,
            BigInteger paymasterVerificationGasLimit, BigInteger paymasterPostOpGasLimit) {
    }

    public UserOperation withFees(Fees fees) {
        return new UserOperation(sender, nonce, factory, factoryData, callData, callGasLimit, verificationGasLimit,
                preVerificationGas, fees.maxFeePerGas(), fees.maxPriorityFeePerGas(), paymaster,
                paymasterVerificationGasLimit, paymasterPostOpGasLimit, paymasterData, signature);
    }

    /** Takes the estimate; the paymaster's limits only when the operation has a paymaster. */
    public UserOperation withGas(Gas gas) {
        return new UserOperation(sender, nonce, factory, factoryData, callData, gas.callGasLimit(),
                gas.verificationGasLimit(), gas.preVerificationGas(), maxFeePerGas, maxPriorityFeePerGas, paymaster,
                paymaster == null ? null : orZero(gas.paymasterVerificationGasLimit()),
                paymaster == null ? null : orZero(gas.paymasterPostOpGasLimit()), paymasterData, signature);
    }

    public UserOperation withPaymaster(String paymaster, BigInteger verificationGasLimit, BigInteger postOpGasLimit,
            String paymasterData) {
        return new UserOperation(sender, nonce, factory, factoryData, callData, callGasLimit, this.verificationGasLimit,
                preVerificationGas, maxFeePerGas, maxPriorityFeePerGas, paymaster, verificationGasLimit,
                postOpGasLimit, paymasterData, signature);
    }

    public UserOperation withPaymasterData(String paymasterData) {
        return withPaymaster(paymaster, paymasterVerificationGasLimit, paymasterPostOpGasLimit, paymasterData);
    }

    public UserOperation withSignature(String signature) {
        return new UserOperation(sender, nonce, factory, factoryData, callData, callGasLimit, verificationGasLimit,
                preVerificationGas, maxFeePerGas, maxPriorityFeePerGas, paymaster, paymasterVerificationGasLimit,
                paymasterPostOpGasLimit, paymasterData, signature);
    }

    /** factory ‖ factoryData, or empty for a deployed account. */
    public byte[] initCode() {
        return factory == null ? new byte[0] : concat(bytes(factory), bytes(factoryData));
    }

    /** uint128(verificationGasLimit) ‖ uint128(callGasLimit). */
    public byte[] accountGasLimits() {
        return concat(uint128(verificationGasLimit), uint128(callGasLimit));
    }

    /** uint128(maxPriorityFeePerGas) ‖ uint128(maxFeePerGas). */
    public byte[] gasFees() {
        return concat(uint128(maxPriorityFeePerGas), uint128(maxFeePerGas));
    }

    /** uint128(paymasterVerificationGasLimit) ‖ uint128(paymasterPostOpGasLimit): the VerifyingPaymaster signs it. */
    public byte[] paymasterGasLimits() {
        return concat(uint128(orZero(paymasterVerificationGasLimit)), uint128(orZero(paymasterPostOpGasLimit)));
    }

    /** paymaster ‖ its two gas limits ‖ paymasterData, or empty without a paymaster. */
    public byte[] paymasterAndData() {
        return paymaster == null ? new byte[0] : concat(bytes(paymaster), paymasterGasLimits(), bytes(paymasterData));
    }

    /** What the account's owner signs (EIP-191), as the EntryPoint v0.7 computes it in getUserOpHash. */
    public String hash(String entryPoint, long chainId) {
        byte[] packed = Hash.sha3(concat(word(sender), word(nonce), Hash.sha3(initCode()), Hash.sha3(bytes(callData)),
                accountGasLimits(), word(preVerificationGas), gasFees(), Hash.sha3(paymasterAndData())));
        return Numeric.toHexString(Hash.sha3(concat(packed, word(entryPoint), word(BigInteger.valueOf(chainId)))));
    }

    /** The JSON-RPC form (eth_sendUserOperation, eth_estimateUserOperationGas): hex quantities, absent parts left out. */
    public Map<String, String> toRpc() {
        Map<String, String> rpc = new LinkedHashMap<>();
        rpc.put("sender", sender);
        rpc.put("nonce", quantity(nonce));
        if (factory != null) {
            rpc.put("factory", factory);
            rpc.put("factoryData", factoryData);
        }
        rpc.put("callData", callData);
        rpc.put("callGasLimit", quantity(callGasLimit));
        rpc.put("verificationGasLimit", quantity(verificationGasLimit));
        rpc.put("preVerificationGas", quantity(preVerificationGas));
        rpc.put("maxFeePerGas", quantity(maxFeePerGas));
        rpc.put("maxPriorityFeePerGas", quantity(maxPriorityFeePerGas));
        if (paymaster != null) {
            rpc.put("paymaster", paymaster);
            rpc.put("paymasterVerificationGasLimit", quantity(orZero(paymasterVerificationGasLimit)));
            rpc.put("paymasterPostOpGasLimit", quantity(orZero(paymasterPostOpGasLimit)));
            rpc.put("paymasterData", paymasterData);
        }
        rpc.put("signature", signature);
        return rpc;
    }

    /** Reads {@link #toRpc()}'s form back (stored operations, bundler answers). */
    public static UserOperation fromRpc(Map<String, String> rpc) {
        return new UserOperation(rpc.get("sender"), number(rpc.get("nonce")), rpc.get("factory"),
                rpc.get("factoryData"), rpc.get("callData"), number(rpc.get("callGasLimit")),
                number(rpc.get("verificationGasLimit")), number(rpc.get("preVerificationGas")),
                number(rpc.get("maxFeePerGas")), number(rpc.get("maxPriorityFeePerGas")), rpc.get("paymaster"),
                number(rpc.get("paymasterVerificationGasLimit")), number(rpc.get("paymasterPostOpGasLimit")),
                rpc.get("paymasterData"), rpc.get("signature"));
    }

    private static BigInteger number(String hex) {
        return hex == null ? null : Numeric.decodeQuantity(hex);
    }

    static String quantity(BigInteger value) {
        return Numeric.encodeQuantity(value);
    }

    private static BigInteger orZero(BigInteger value) {
        return value == null ? BigInteger.ZERO : value;
    }

    static byte[] bytes(String hex) {
        return hex == null ? new byte[0] : Numeric.hexStringToByteArray(hex);
    }

    static byte[] uint128(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(UINT128_MAX) > 0) {
            throw new IllegalArgumentException("not a uint128: " + value);
        }
        return Numeric.toBytesPadded(value, 16);
    }

    /** One ABI word: an unsigned number, or an address left-padded. */
    static byte[] word(BigInteger value) {
        return Numeric.toBytesPadded(value, 32);
    }

    static byte[] word(String address) {
        return word(Numeric.toBigInt(address));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
