package io.agentnexus.user;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EIP-4361 (Sign-In with Ethereum) message: parsed strictly by the ABNF of the EIP, and rendered
 * in exactly the form that parsing accepts.
 */
public record SiweMessage(
        String scheme,
        String domain,
        String address,
        String statement,
        String uri,
        String version,
        long chainId,
        String nonce,
        Instant issuedAt,
        Instant expirationTime,
        Instant notBefore,
        String requestId,
        List<String> resources) {

    private static final String HEADER = " wants you to sign in with your Ethereum account:";

    private static final Pattern GRAMMAR = Pattern.compile(
            "(?:(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://)?(?<domain>[^\\s/?#@]+)" + HEADER + "\n"
                    + "(?<address>0x[0-9a-fA-F]{40})\n"
                    + "\n"
                    + "(?:(?<statement>[^\\n]+)\n)?"
                    + "\n"
                    + "URI: (?<uri>[a-zA-Z][a-zA-Z0-9+.-]*:[^\\s]+)\n"
                    + "Version: (?<version>[^\\n]+)\n"
                    + "Chain ID: (?<chainId>[0-9]{1,18})\n"
                    + "Nonce: (?<nonce>[a-zA-Z0-9]{8,})\n"
                    + "Issued At: (?<issuedAt>[^\\n]+)"
                    + "(?:\nExpiration Time: (?<expirationTime>[^\\n]+))?"
                    + "(?:\nNot Before: (?<notBefore>[^\\n]+))?"
                    + "(?:\nRequest ID: (?<requestId>[^\\n]*))?"
                    + "(?:\nResources:(?<resources>(?:\n- [^\\s]+)+))?");

    /** Thrown for text that is not a SIWE message; the message says which part is wrong. */
    public static class MalformedException extends Exception {
        MalformedException(String reason) {
            super(reason, null, false, false);
        }
    }

    public static SiweMessage parse(String text) throws MalformedException {
        if (text == null || text.isEmpty()) {
            throw new MalformedException("the message is empty");
        }
        Matcher m = GRAMMAR.matcher(text);
        if (!m.matches()) {
            throw new MalformedException("the message does not follow the EIP-4361 format");
        }
        if (!"1".equals(m.group("version"))) {
            throw new MalformedException("unsupported SIWE version " + m.group("version"));
        }
        if (!Wallet.isChecksummed(m.group("address"))) {
            throw new MalformedException("the address is not in EIP-55 checksum form");
        }
        List<String> resources = new ArrayList<>();
        if (m.group("resources") != null) {
            for (String line : m.group("resources").substring(1).split("\n")) {
                resources.add(line.substring(2));
            }
        }
        return new SiweMessage(m.group("scheme"), m.group("domain"), m.group("address"), m.group("statement"),
                m.group("uri"), m.group("version"), Long.parseLong(m.group("chainId")), m.group("nonce"),
                timestamp("Issued At", m.group("issuedAt")), timestamp("Expiration Time", m.group("expirationTime")),
                timestamp("Not Before", m.group("notBefore")), m.group("requestId"), List.copyOf(resources));
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        if (scheme != null) {
            text.append(scheme).append("://");
        }
        text.append(domain).append(HEADER).append('\n').append(address).append("\n\n");
        if (statement != null) {
            text.append(statement).append('\n');
        }
        text.append('\n')
                .append("URI: ").append(uri).append('\n')
                .append("Version: ").append(version).append('\n')
                .append("Chain ID: ").append(chainId).append('\n')
                .append("Nonce: ").append(nonce).append('\n')
                .append("Issued At: ").append(issuedAt);
        if (expirationTime != null) {
            text.append("\nExpiration Time: ").append(expirationTime);
        }
        if (notBefore != null) {
            text.append("\nNot Before: ").append(notBefore);
        }
        if (requestId != null) {
            text.append("\nRequest ID: ").append(requestId);
        }
        if (!resources.isEmpty()) {
            text.append("\nResources:");
            resources.forEach(resource -> text.append("\n- ").append(resource));
        }
        return text.toString();
    }

    private static Instant timestamp(String field, String value) throws MalformedException {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant(); // RFC 3339 date-time, with its offset
        } catch (DateTimeParseException e) {
            throw new MalformedException(field + " is not an RFC 3339 date-time");
        }
    }
}
