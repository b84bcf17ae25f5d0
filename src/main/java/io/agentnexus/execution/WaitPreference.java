package io.agentnexus.execution;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code wait} preference of RFC 7240 {@code Prefer} headers: how many seconds a client is willing to
 * wait for a run to finish. Preference names are case-insensitive and may sit among others
 * ({@code respond-async, wait=10}); the first {@code wait} counts; a value that is not delta-seconds is
 * ignored, as RFC 7240 lets a server ignore any preference.
 */
final class WaitPreference {

    /** Longer waits are capped: a request should not outlive proxies' idle timeouts. */
    static final int MAX_SECONDS = 60;

    private WaitPreference() {
    }

    /** The seconds to wait (capped at {@link #MAX_SECONDS}); empty when no well-formed wait was asked for. */
    static OptionalInt seconds(List<String> preferHeaders) {
        Optional<String> value = Optional.ofNullable(preferHeaders).orElse(List.of()).stream()
                .flatMap(header -> List.of(header.split(",")).stream())
                .map(preference -> preference.split(";", 2)[0].split("=", 2))
                .filter(pair -> pair.length == 2 && pair[0].strip().toLowerCase(Locale.ROOT).equals("wait"))
                .map(pair -> unquoted(pair[1].strip()))
                .findFirst();
        if (value.isEmpty() || !value.get().matches("[0-9]+")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(new BigInteger(value.get()).min(BigInteger.valueOf(MAX_SECONDS)).intValue());
    }

    private static String unquoted(String word) {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"")
                ? word.substring(1, word.length() - 1) : word;
    }
}
