package io.agentnexus.wallet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;

/** Smart accounts (ERC-4337): the bundler, the contracts, the paymaster and who gets sponsored. */
@ConfigMapping(prefix = "agentnexus.wallet")
public interface WalletConfig {

    /** JSON-RPC endpoint of an ERC-4337 bundler (Alchemy, Pimlico, Alto...). */
    String bundlerUrl();

    /** The EntryPoint v0.7 (the same address on every chain). */
    @WithDefault("0x0000000071727De22E5E9d8BAf0edAc6f37da032")
    String entryPoint();

    /** The SimpleAccountFactory (v0.7) whose getAddress(owner, salt) gives each user's account. */
    String factory();

    /** The salt of every user's account: one account per owner wallet. */
    @WithDefault("0")
    BigInteger salt();

    /** How long a bundler or paymaster call may take before it counts as down. */
    @WithDefault("10s")
    Duration rpcTimeout();

    /** How long a prepared operation may wait for its signature (the paymaster's validUntil). */
    @WithDefault("30m")
    Duration operationTtl();

    /** How often submitted operations are looked up on the bundler. */
    @WithDefault("1s")
    Duration receiptPollInterval();

    /** A submitted operation the bundler no longer knows after this long is FAILED (dropped). */
    @WithDefault("10m")
    Duration dropAfter();

    PaymasterConfig paymaster();

    SponsorshipConfig sponsorship();

    interface PaymasterConfig {

        /** verifying (our VerifyingPaymaster, signed with our key), alchemy (Gas Manager) or erc7677 (any service). */
        @WithDefault("verifying")
        Mode mode();

        /** verifying: the VerifyingPaymaster contract. */
        Optional<String> address();

        /** verifying: its signer's private key; the chain operator key when unset. A secret, never logged. */
        Optional<String> signerKey();

        /** erc7677: the paymaster service's JSON-RPC URL; alchemy: defaults to the bundler URL. */
        Optional<String> url();

        /** alchemy (required) and erc7677 (optional): the sponsorship policy id passed to the service. */
        Optional<String> policyId();

        enum Mode {
            VERIFYING, ALCHEMY, ERC7677
        }
    }

    interface SponsorshipConfig {

        /** Sponsored operations a user may prepare in 24 hours. */
        @WithDefault("20")
        int dailyOperations();

        /** Most calls in one operation. */
        @WithDefault("8")
        int maxCalls();
    }
}
