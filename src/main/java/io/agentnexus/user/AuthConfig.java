package io.agentnexus.user;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Sign-In with Ethereum and the tokens it leads to. */
@ConfigMapping(prefix = "agentnexus.auth")
public interface AuthConfig {

    /** The RFC 3986 authority users sign in to, e.g. "app.agentnexus.io" or "localhost:8080". */
    String domain();

    /** The URI the SIWE message must name (or a path below it). */
    String uri();

    /** The EIP-155 chain id the message must name. */
    long chainId();

    @WithDefault("Sign in to AgentNexus.")
    String statement();

    /** How long a nonce (and so the message built with it) may be used. */
    @WithDefault("5m")
    Duration nonceTtl();

    /** Tolerated difference between the wallet's clock and ours. */
    @WithDefault("60s")
    Duration clockSkew();

    @WithDefault("7d")
    Duration tokenTtl();

    @WithDefault("agentnexus")
    String issuer();

    /** Wallets that sign in as admins (any case). */
    Optional<Set<String>> adminAddresses();

    default boolean isAdmin(String address) {
        return adminAddresses().map(admins -> admins.stream().anyMatch(a -> a.equalsIgnoreCase(address)))
                .orElse(false);
    }
}
