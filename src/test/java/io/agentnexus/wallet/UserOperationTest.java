package io.agentnexus.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** The v0.7 packing and userOpHash, checked against the EntryPoint's formulas written out independently. */
class UserOperationTest {

    private static final String ENTRY_POINT = "0x0000000071727De22E5E9d8BAf0edAc6f37da032";
    private static final long CHAIN_ID = 84532;
    private static final BigInteger UINT128_MAX = BigInteger.TWO.pow(128).subtract(BigInteger.ONE);
    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    private static final String SENDER = "0x1f9090aae28b8a3dceadf281b0f12828e676c326";
    private static final String FACTORY = "0x91e60e0613810449d098b0b5ec8b51a0fe8c8985";
    private static final String FACTORY_DATA = "0x5fbfb9cf" + "00".repeat(12) + "aa".repeat(20) + "00".repeat(32);
    private static final String CALL_DATA = "0xb61d27f6" + "00".repeat(12) + "bb".repeat(20) + "00".repeat(64);
    private static final String PAYMASTER = "0x00000000000000fb866daaa79352cc568a005d96";
    private static final String PAYMASTER_DATA = "0xcafebabe0102";

    /** Every field set, each number different, so that a swap shows. */
    private static final UserOperation FULL = new UserOperation(SENDER, BigInteger.ONE.shiftLeft(64).add(BigInteger.valueOf(9)),
            FACTORY, FACTORY_DATA, CALL_DATA, BigInteger.valueOf(0x1234), BigInteger.valueOf(0x56789),
            BigInteger.valueOf(0xabcd), BigInteger.valueOf(0x3b9aca00), BigInteger.valueOf(0x5f5e100), PAYMASTER,
            BigInteger.valueOf(0x8000), BigInteger.valueOf(0x100), PAYMASTER_DATA, "0x" + "11".repeat(65));

    /** A deployed account, no paymaster. */
    private static final UserOperation BARE = new UserOperation(SENDER, BigInteger.TWO, null, null, CALL_DATA,
            BigInteger.valueOf(50_000), BigInteger.valueOf(60_000), BigInteger.valueOf(40_000),
            BigInteger.valueOf(2_000), BigInteger.valueOf(3), null, null, null, null, UserOperation.DUMMY_SIGNATURE);

    @Test
    void accountGasLimitsIsVerificationGasThenCallGasAsTwoUint128() {
        byte[] packed = FULL.accountGasLimits();

        assertEquals(32, packed.length);
        assertEquals(FULL.verificationGasLimit(), new BigInteger(1, Arrays.copyOfRange(packed, 0, 16)));
        assertEquals(FULL.callGasLimit(), new BigInteger(1, Arrays.copyOfRange(packed, 16, 32)));
        assertArrayEquals(Numeric.toBytesPadded(FULL.verificationGasLimit().shiftLeft(128).or(FULL.callGasLimit()), 32),
                packed);
    }

    @Test
    void gasFeesIsPriorityFeeThenMaxFeeAsTwoUint128() {
        byte[] packed = FULL.gasFees();

        assertEquals(32, packed.length);
        assertEquals(FULL.maxPriorityFeePerGas(), new BigInteger(1, Arrays.copyOfRange(packed, 0, 16)));
        assertEquals(FULL.maxFeePerGas(), new BigInteger(1, Arrays.copyOfRange(packed, 16, 32)));
    }

    @Test
    void paymasterAndDataIsAddressTwoGasLimitsAndData() {
        byte[] packed = FULL.paymasterAndData();

        assertEquals(20 + 16 + 16 + 6, packed.length);
        assertArrayEquals(Numeric.hexStringToByteArray(PAYMASTER), Arrays.copyOfRange(packed, 0, 20));
        assertEquals(FULL.paymasterVerificationGasLimit(), new BigInteger(1, Arrays.copyOfRange(packed, 20, 36)));
        assertEquals(FULL.paymasterPostOpGasLimit(), new BigInteger(1, Arrays.copyOfRange(packed, 36, 52)));
        assertArrayEquals(Numeric.hexStringToByteArray(PAYMASTER_DATA), Arrays.copyOfRange(packed, 52, packed.length));
        assertEquals(Numeric.cleanHexPrefix(PAYMASTER) + "00000000000000000000000000008000"
                + "00000000000000000000000000000100" + "cafebabe0102", Numeric.toHexStringNoPrefix(packed));
    }

    @Test
    void withoutPaymasterOrFactoryTheirPartsAreEmpty() {
        assertEquals(0, BARE.initCode().length);
        assertEquals(0, BARE.paymasterAndData().length);
    }

    @Test
    void initCodeIsFactoryThenFactoryData() {
        assertEquals(Numeric.cleanHexPrefix(FACTORY) + Numeric.cleanHexPrefix(FACTORY_DATA),
                Numeric.toHexStringNoPrefix(FULL.initCode()));
    }

    @Test
    void draftLeavesFactoryDataOutWithoutFactory() {
        UserOperation draft = UserOperation.draft(SENDER, BigInteger.ONE, null, FACTORY_DATA, CALL_DATA,
                new UserOperation.Fees(BigInteger.TEN, BigInteger.ONE));

        assertEquals(null, draft.factoryData());
        assertEquals(0, draft.initCode().length);
        assertEquals(UserOperation.DUMMY_SIGNATURE, draft.signature());
    }

    @Test
    void rpcFormRoundTrips() {
        assertEquals(FULL, UserOperation.fromRpc(FULL.toRpc()));
        assertEquals(BARE, UserOperation.fromRpc(BARE.toRpc()));
    }

    @Test
    void rpcFormUsesHexQuantitiesAndLeavesAbsentPartsOut() {
        Map<String, String> full = FULL.toRpc();
        assertEquals("0x10000000000000009", full.get("nonce"));
        assertEquals("0x1234", full.get("callGasLimit"));
        assertEquals("0x56789", full.get("verificationGasLimit"));
        assertEquals("0xabcd", full.get("preVerificationGas"));
        assertEquals("0x8000", full.get("paymasterVerificationGasLimit"));
        assertEquals("0x100", full.get("paymasterPostOpGasLimit"));
        assertEquals(FACTORY, full.get("factory"));
        assertEquals(PAYMASTER_DATA, full.get("paymasterData"));

        Map<String, String> bare = BARE.toRpc();
        assertEquals(List.of("sender", "nonce", "callData", "callGasLimit", "verificationGasLimit",
                "preVerificationGas", "maxFeePerGas", "maxPriorityFeePerGas", "signature"), List.copyOf(bare.keySet()));
    }

    @Test
    void aValueOverUint128IsRejected() {
        BigInteger tooBig = UINT128_MAX.add(BigInteger.ONE);
        UserOperation callGas = with(FULL, "callGasLimit", tooBig);
        UserOperation maxFee = with(FULL, "maxFeePerGas", tooBig);
        UserOperation pmGas = with(FULL, "paymasterPostOpGasLimit", tooBig);
        UserOperation negative = with(FULL, "verificationGasLimit", BigInteger.ONE.negate());

        assertThrows(IllegalArgumentException.class, callGas::accountGasLimits);
        assertThrows(IllegalArgumentException.class, () -> callGas.hash(ENTRY_POINT, CHAIN_ID));
        assertThrows(IllegalArgumentException.class, maxFee::gasFees);
        assertThrows(IllegalArgumentException.class, pmGas::paymasterAndData);
        assertThrows(IllegalArgumentException.class, negative::accountGasLimits);
    }

    @Test
    void uint128MaxItselfFits() {
        byte[] packed = with(FULL, "callGasLimit", UINT128_MAX).accountGasLimits();

        assertEquals(32, packed.length);
        assertEquals(UINT128_MAX, new BigInteger(1, Arrays.copyOfRange(packed, 16, 32)));
        assertEquals(FULL.verificationGasLimit(), new BigInteger(1, Arrays.copyOfRange(packed, 0, 16)));
    }

    @Test
    void hashIsTheEntryPointsUserOpHash() {
        assertEquals(entryPointHash(FULL), FULL.hash(ENTRY_POINT, CHAIN_ID));
        assertEquals(entryPointHash(BARE), BARE.hash(ENTRY_POINT, CHAIN_ID));
    }

    @Test
    void hashChangesWithEverySignedFieldButNotTheSignature() throws Exception {
        String hash = FULL.hash(ENTRY_POINT, CHAIN_ID);
        for (RecordComponent component : UserOperation.class.getRecordComponents()) {
            UserOperation changed = with(FULL, component.getName(), changed(component.getAccessor().invoke(FULL)));
            assertNotEquals(FULL, changed, component.getName());
            if (component.getName().equals("signature")) {
                assertEquals(hash, changed.hash(ENTRY_POINT, CHAIN_ID), "the signature is not signed");
            } else {
                assertNotEquals(hash, changed.hash(ENTRY_POINT, CHAIN_ID), component.getName() + " is not in the hash");
            }
        }
        assertNotEquals(hash, FULL.hash("0x0000000071727De22E5E9d8BAf0edAc6f37da033", CHAIN_ID));
        assertNotEquals(hash, FULL.hash(ENTRY_POINT, CHAIN_ID + 1));
        assertNotEquals(hash, with(FULL, "paymaster", null).hash(ENTRY_POINT, CHAIN_ID));
        assertNotEquals(hash, with(FULL, "factory", null).hash(ENTRY_POINT, CHAIN_ID));
    }

    @Test
    void dummySignatureIsAWellFormedLowSSignature() throws Exception {
        byte[] signature = Numeric.hexStringToByteArray(UserOperation.DUMMY_SIGNATURE);

        assertEquals(65, signature.length);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        int v = signature[64] & 0xff;
        assertTrue(r.signum() > 0 && r.compareTo(SECP256K1_N) < 0, "r out of range");
        assertTrue(s.signum() > 0, "s is zero");
        assertTrue(s.compareTo(SECP256K1_N.shiftRight(1)) <= 0, "s in the upper half: OpenZeppelin rejects it");
        assertTrue(v == 27 || v == 28, "v = " + v);
        // it recovers to some address (the point exists), as an ecrecover would
        BigInteger key = Sign.signedMessageHashToKey(Hash.sha3(new byte[32]), new Sign.SignatureData((byte) v,
                Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64)));
        assertFalse(Keys.getAddress(key).isEmpty());
    }

    /** UserOperationLib.hash and EntryPoint.getUserOpHash of v0.7, with web3j's ABI encoder. */
    private static String entryPointHash(UserOperation op) {
        BigInteger accountGasLimits = op.verificationGasLimit().shiftLeft(128).or(op.callGasLimit());
        BigInteger gasFees = op.maxPriorityFeePerGas().shiftLeft(128).or(op.maxFeePerGas());
        String initCode = op.factory() == null ? "0x" : op.factory() + Numeric.cleanHexPrefix(op.factoryData());
        String paymasterAndData = op.paymaster() == null ? "0x"
                : op.paymaster() + Numeric.toHexStringNoPrefixZeroPadded(op.paymasterVerificationGasLimit(), 32)
                        + Numeric.toHexStringNoPrefixZeroPadded(op.paymasterPostOpGasLimit(), 32)
                        + Numeric.cleanHexPrefix(op.paymasterData());
        List<Type> packed = List.of(new Address(op.sender()), new Uint256(op.nonce()), keccak(initCode),
                keccak(op.callData()), new Bytes32(Numeric.toBytesPadded(accountGasLimits, 32)),
                new Uint256(op.preVerificationGas()), new Bytes32(Numeric.toBytesPadded(gasFees, 32)),
                keccak(paymasterAndData));
        byte[] inner = Hash.sha3(Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(packed)));
        List<Type> outer = List.of(new Bytes32(inner), new Address(ENTRY_POINT), new Uint256(CHAIN_ID));
        return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(outer))));
    }

    private static Bytes32 keccak(String hex) {
        return new Bytes32(Hash.sha3(Numeric.hexStringToByteArray(hex)));
    }

    private static Object changed(Object value) {
        if (value instanceof BigInteger number) {
            return number.add(BigInteger.ONE);
        }
        String hex = (String) value;
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '0' ? '1' : '0');
    }

    /** A copy of the operation with one component replaced. */
    static UserOperation with(UserOperation op, String name, Object value) {
        try {
            RecordComponent[] components = UserOperation.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            boolean found = false;
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                found |= components[i].getName().equals(name);
                values[i] = components[i].getName().equals(name) ? value : components[i].getAccessor().invoke(op);
            }
            assertTrue(found, "no component " + name);
            return UserOperation.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
