package io.agentnexus.wallet;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundler or paymaster refused an operation (a JSON-RPC error). When the refusal carries an EntryPoint
 * code (AA10…AA96), {@link #reason()} says it in words.
 */
public class OperationRejected extends RuntimeException {

    private static final Pattern AA_CODE = Pattern.compile("\\bAA(\\d\\d)\\b");

    /** The EntryPoint v0.7's failure codes, as its source and ERC-4337 describe them. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("AA10", "the account is already deployed, but the operation still carries factory data"),
            Map.entry("AA13", "the factory failed to deploy the account (reverted or ran out of gas)"),
            Map.entry("AA14", "the factory deployed the account at a different address than the sender"),
            Map.entry("AA15", "the factory did not deploy any code at the sender's address"),
            Map.entry("AA20", "the account is not deployed and the operation has no factory data"),
            Map.entry("AA21", "the account cannot pay the gas prefund (no paymaster, and too little ETH deposited)"),
            Map.entry("AA22", "the operation expired or is not valid yet"),
            Map.entry("AA23", "the account's validation reverted"),
            Map.entry("AA24", "the signature does not match the account's owner"),
            Map.entry("AA25", "the nonce is not the account's next one (another operation used it)"),
            Map.entry("AA26", "the account's validation used more gas than its verificationGasLimit"),
            Map.entry("AA30", "the paymaster is not deployed"),
            Map.entry("AA31", "the paymaster's deposit in the EntryPoint is too low to pay for the operation"),
            Map.entry("AA32", "the paymaster's sponsorship expired or is not valid yet"),
            Map.entry("AA33", "the paymaster's validation reverted"),
            Map.entry("AA34", "the paymaster's signature is not valid"),
            Map.entry("AA36", "the paymaster's validation used more gas than its verification gas limit"),
            Map.entry("AA40", "validation used more gas than the verification gas limits"),
            Map.entry("AA41", "too little verification gas to run validation"),
            Map.entry("AA50", "the paymaster's postOp reverted"),
            Map.entry("AA51", "the prefund was below the actual gas cost"),
            Map.entry("AA90", "the bundler named an invalid beneficiary"),
            Map.entry("AA91", "the EntryPoint could not pay the bundler"),
            Map.entry("AA92", "an internal EntryPoint call was made from outside"),
            Map.entry("AA93", "paymasterAndData is malformed"),
            Map.entry("AA94", "a gas value overflows 120 bits"),
            Map.entry("AA95", "the bundle ran out of gas"),
            Map.entry("AA96", "invalid signature aggregator"));

    private final String source;
    private final int code;

    public OperationRejected(String source, int code, String message) {
        super(message, null, false, false);
        this.source = source;
        this.code = code;
    }

    /** "bundler" or "paymaster". */
    public String source() {
        return source;
    }

    /** The JSON-RPC error code (ERC-7769: -32500 account validation, -32501 paymaster, -32602 invalid fields...). */
    public int code() {
        return code;
    }

    /** The AAxx code in the message, or null. */
    public String entryPointCode() {
        Matcher matcher = AA_CODE.matcher(getMessage());
        return matcher.find() ? matcher.group() : null;
    }

    /** What went wrong, in words: the AAxx meaning first when there is one, then the service's own message. */
    public String reason() {
        String aa = entryPointCode();
        String words = aa == null ? null : WORDS.get(aa);
        return words == null ? "the " + source + " refused the operation: " + getMessage()
                : aa + ": " + words + " (" + source + ": " + getMessage() + ")";
    }

    /** Refusals that say the operation is out of date (nonce used, account deployed meanwhile, expired). */
    public boolean stale() {
        String aa = entryPointCode();
        return "AA10".equals(aa) || "AA25".equals(aa) || "AA22".equals(aa) || "AA32".equals(aa);
    }
}
