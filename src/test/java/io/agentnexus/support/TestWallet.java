package io.agentnexus.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** A real secp256k1 key that signs like a wallet's personal_sign (EIP-191). */
public record TestWallet(ECKeyPair keys) {

    /** Configured as admin for the test run (anvil's well-known dev account #9). */
    public static final TestWallet ADMIN = of("0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");

    private static final SecureRandom RANDOM = new SecureRandom();

    public static TestWallet of(String privateKeyHex) {
        return new TestWallet(ECKeyPair.create(Numeric.toBigInt(privateKeyHex)));
    }

    /** A new wallet no test has used: tests stay independent of one another's users. */
    public static TestWallet random() {
        return new TestWallet(ECKeyPair.create(new BigInteger(250, RANDOM).add(BigInteger.ONE)));
    }

    /** EIP-55 form. */
    public String address() {
        return Keys.toChecksumAddress(Keys.getAddress(keys.getPublicKey()));
    }

    /** r ‖ s ‖ v with v = 27 or 28, as wallets return it. */
    public String sign(String message) {
        return signBytes(message.getBytes(StandardCharsets.UTF_8));
    }

    /** personal_sign of raw bytes given as 0x-hex (a userOpHash), as a wallet signs a hash. */
    public String signHash(String hex) {
        return signBytes(Numeric.hexStringToByteArray(hex));
    }

    private String signBytes(byte[] message) {
        Sign.SignatureData signature = Sign.signPrefixedMessage(message, keys);
        byte[] bytes = new byte[65];
        System.arraycopy(signature.getR(), 0, bytes, 0, 32);
        System.arraycopy(signature.getS(), 0, bytes, 32, 32);
        bytes[64] = signature.getV()[0];
        return Numeric.toHexString(bytes);
    }
}
