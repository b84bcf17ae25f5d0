package io.agentnexus.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint48;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** Our VerifyingPaymaster's signer: the paymasterData layout and a signature that recovers to the signer. */
class VerifyingPaymasterSignerTest {

    private static final String PAYMASTER = "0x2Cc0C7981D846b9F2a16276556f6e8cb52BfB633";
    private static final Credentials SIGNER =
            Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static final long CHAIN_ID = 84532;
    private static final Instant CHAIN_TIME = Instant.ofEpochSecond(1_750_000_000L);
    private static final Duration VALIDITY = Duration.ofMinutes(15);
    private static final String SENDER = "0x1f9090aae28b8a3dceadf281b0f12828e676c326";
    private static final String FACTORY = "0x91e60e0613810449d098b0b5ec8b51a0fe8c8985";
    private static final String FACTORY_DATA = "0x5fbfb9cf" + "00".repeat(12) + "aa".repeat(20) + "00".repeat(32);
    private static final String CALL_DATA = "0xb61d27f6" + "00".repeat(12) + "bb".repeat(20) + "00".repeat(64);

    private static final UserOperation.Gas GAS = new UserOperation.Gas(BigInteger.valueOf(45_000),
            BigInteger.valueOf(310_000), BigInteger.valueOf(80_000), BigInteger.valueOf(42_000), BigInteger.ZERO);

    private final FixedGasBundler bundler = new FixedGasBundler(GAS);
    private final VerifyingPaymasterSigner signer =
            new VerifyingPaymasterSigner(PAYMASTER, SIGNER, bundler, CHAIN_ID, VALIDITY, () -> CHAIN_TIME);

    private static UserOperation draft() {
        return UserOperation.draft(SENDER, BigInteger.valueOf(4), FACTORY, FACTORY_DATA, CALL_DATA,
                new UserOperation.Fees(BigInteger.valueOf(1_200_000_000L), BigInteger.valueOf(1_000_000L)));
    }

    @Test
    void paymasterDataIsTheValidityWindowThenA65ByteSignature() {
        UserOperation sponsored = signer.sponsor(draft());

        byte[] data = Numeric.hexStringToByteArray(sponsored.paymasterData());
        assertEquals(64 + 65, data.length);
        BigInteger validUntil = new BigInteger(1, Arrays.copyOfRange(data, 0, 32));
        BigInteger validAfter = new BigInteger(1, Arrays.copyOfRange(data, 32, 64));
        assertEquals(BigInteger.valueOf(CHAIN_TIME.plus(VALIDITY).getEpochSecond()), validUntil);
        assertEquals(BigInteger.valueOf(1_750_000_900L), validUntil);
        assertEquals(BigInteger.ZERO, validAfter);
        // abi.encode(uint48, uint48): two words, each number right-aligned
        assertArrayEquals(Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(
                List.of(new Uint48(validUntil), new Uint48(validAfter)))), Arrays.copyOfRange(data, 0, 64));
        int v = data[128] & 0xff;
        assertTrue(v == 27 || v == 28, "v = " + v);
    }

    @Test
    void takesTheBundlersGasAndNamesThePaymaster() {
        UserOperation sponsored = signer.sponsor(draft());

        assertEquals(PAYMASTER.toLowerCase(), sponsored.paymaster());
        assertEquals(GAS.preVerificationGas(), sponsored.preVerificationGas());
        assertEquals(GAS.verificationGasLimit(), sponsored.verificationGasLimit());
        assertEquals(GAS.callGasLimit(), sponsored.callGasLimit());
        assertEquals(GAS.paymasterVerificationGasLimit(), sponsored.paymasterVerificationGasLimit());
        assertEquals(GAS.paymasterPostOpGasLimit(), sponsored.paymasterPostOpGasLimit());
        assertEquals(UserOperation.DUMMY_SIGNATURE, sponsored.signature());
        assertEquals(draft().callData(), sponsored.callData());
        assertEquals(draft().maxFeePerGas(), sponsored.maxFeePerGas());
    }

    @Test
    void theBundlerEstimatesWithPaymasterDataOfTheFinalLength() {
        UserOperation sponsored = signer.sponsor(draft());

        assertEquals(1, bundler.estimated.size());
        UserOperation stub = bundler.estimated.getFirst();
        assertEquals(PAYMASTER.toLowerCase(), stub.paymaster());
        String stubData = Numeric.cleanHexPrefix(stub.paymasterData());
        String finalData = Numeric.cleanHexPrefix(sponsored.paymasterData());
        assertEquals(finalData.length(), stubData.length());
        assertEquals(finalData.substring(0, 128), stubData.substring(0, 128), "same validity window");
        assertEquals(Numeric.cleanHexPrefix(UserOperation.DUMMY_SIGNATURE), stubData.substring(128));
    }

    @Test
    void theSignatureRecoversToTheSignerOverThePaymastersHash() throws Exception {
        UserOperation sponsored = signer.sponsor(draft());
        byte[] data = Numeric.hexStringToByteArray(sponsored.paymasterData());
        BigInteger validUntil = new BigInteger(1, Arrays.copyOfRange(data, 0, 32));
        Sign.SignatureData signature = new Sign.SignatureData(data[128], Arrays.copyOfRange(data, 64, 96),
                Arrays.copyOfRange(data, 96, 128));

        byte[] hash = paymasterHash(sponsored, validUntil, BigInteger.ZERO);
        assertArrayEquals(hash, signer.hash(sponsored, validUntil, BigInteger.ZERO));
        BigInteger key = Sign.signedPrefixedMessageToKey(hash, signature);
        assertEquals(SIGNER.getAddress(), "0x" + Keys.getAddress(key));

        // the signature binds the gas: the same signature over another callGasLimit names someone else
        UserOperation moreGas = UserOperationTest.with(sponsored, "callGasLimit", BigInteger.valueOf(80_001));
        BigInteger other = Sign.signedPrefixedMessageToKey(paymasterHash(moreGas, validUntil, BigInteger.ZERO),
                signature);
        assertNotEquals(SIGNER.getAddress(), "0x" + Keys.getAddress(other));
    }

    /** VerifyingPaymaster (account-abstraction 0.7) getHash, with web3j's ABI encoder. */
    private static byte[] paymasterHash(UserOperation op, BigInteger validUntil, BigInteger validAfter) {
        String initCode = op.factory() + Numeric.cleanHexPrefix(op.factoryData());
        List<Type> fields = List.of(new Address(op.sender()), new Uint256(op.nonce()),
                new Bytes32(Hash.sha3(Numeric.hexStringToByteArray(initCode))),
                new Bytes32(Hash.sha3(Numeric.hexStringToByteArray(op.callData()))),
                new Bytes32(Numeric.toBytesPadded(op.verificationGasLimit().shiftLeft(128).or(op.callGasLimit()), 32)),
                new Uint256(op.paymasterVerificationGasLimit().shiftLeft(128).or(op.paymasterPostOpGasLimit())),
                new Uint256(op.preVerificationGas()),
                new Bytes32(Numeric.toBytesPadded(op.maxPriorityFeePerGas().shiftLeft(128).or(op.maxFeePerGas()), 32)),
                new Uint256(CHAIN_ID), new Address(PAYMASTER), new Uint48(validUntil), new Uint48(validAfter));
        return Hash.sha3(Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(fields)));
    }
}
