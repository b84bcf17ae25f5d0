package io.agentnexus.user;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** Ethereum address rules: syntax, EIP-55 checksums, the one stored form. */
public final class Wallet {

    public static final String ADDRESS_PATTERN = io.agentnexus.platform.validation.EthAddress.PATTERN;
    private static final Pattern ADDRESS = Pattern.compile(ADDRESS_PATTERN);

    private Wallet() {
    }

    public static boolean isAddress(String value) {
        return value != null && ADDRESS.matcher(value).matches();
    }

    /** All-lowercase or all-uppercase hex carries no checksum; mixed case must be valid EIP-55. */
    public static boolean hasValidChecksum(String address) {
        String hex = address.substring(2);
        boolean unchecked = hex.equals(hex.toLowerCase(Locale.ROOT)) || hex.equals(hex.toUpperCase(Locale.ROOT));
        return unchecked || checksummed(address).equals(address);
    }

    public static boolean isChecksummed(String address) {
        return checksummed(address).equals(address);
    }

    public static String normalize(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /**
     * The address (lowercase) whose key signed these bytes with personal_sign (EIP-191); the signature is
     * r ‖ s ‖ v with v 27/28 or 0/1. An IllegalArgumentException says why no signer can be recovered.
     */
    public static String personalSigner(byte[] message, String signatureHex) {
        byte[] signature = Numeric.hexStringToByteArray(signatureHex);
        if (signature.length != 65) {
            throw new IllegalArgumentException("a signature is 65 bytes (r, s, v)");
        }
        byte v = signature[64];
        if (v < 27) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("the signature's recovery id v must be 27, 28, 0 or 1");
        }
        try {
            BigInteger publicKey = Sign.signedPrefixedMessageToKey(message, new Sign.SignatureData(v,
                    Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64)));
            return "0x" + Keys.getAddress(publicKey);
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("no signer can be recovered from the signature");
        }
    }

    public static String checksummed(String address) {
        return Keys.toChecksumAddress(normalize(address));
    }
}
