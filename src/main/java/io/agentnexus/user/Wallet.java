package io.agentnexus.user;

import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;

/** Ethereum address rules: syntax, EIP-55 checksums, the one stored form. */
public final class Wallet {

    public static final String ADDRESS_PATTERN = "^0x[0-9a-fA-F]{40}$";
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

    public static String checksummed(String address) {
        return Keys.toChecksumAddress(normalize(address));
    }
}
