package io.agentnexus.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.chain.ChainConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.web3j.crypto.Credentials;

/** The one {@link Paymaster}, as {@code agentnexus.wallet.paymaster.mode} says; its settings checked at start-up. */
@ApplicationScoped
class Paymasters {

    private final WalletConfig config;
    private final ChainConfig chain;

    Paymasters(WalletConfig config, ChainConfig chain) {
        this.config = config;
        this.chain = chain;
    }

    /** A mode without the settings it needs fails start-up, naming the variable. */
    void check(@Observes StartupEvent start) {
        var paymaster = config.paymaster();
        switch (paymaster.mode()) {
            case VERIFYING -> require(paymaster.address().isPresent(), "AGENTNEXUS_WALLET_PAYMASTER_ADDRESS", "verifying");
            case ALCHEMY -> require(paymaster.policyId().isPresent(), "AGENTNEXUS_WALLET_PAYMASTER_POLICY_ID", "alchemy");
            case ERC7677 -> require(paymaster.url().isPresent(), "AGENTNEXUS_WALLET_PAYMASTER_URL", "erc7677");
        }
    }

    private static void require(boolean present, String variable, String mode) {
        if (!present) {
            throw new IllegalStateException(variable + " (agentnexus.wallet.paymaster."
                    + variable.substring("AGENTNEXUS_WALLET_PAYMASTER_".length()).toLowerCase().replace('_', '-')
                    + ") is required when AGENTNEXUS_WALLET_PAYMASTER_MODE is " + mode);
        }
    }

    @Produces
    @ApplicationScoped
    Paymaster paymaster(Bundler bundler, SmartAccounts accounts, ObjectMapper json) {
        var paymaster = config.paymaster();
        return switch (paymaster.mode()) {
            case VERIFYING -> new VerifyingPaymasterSigner(paymaster.address().orElseThrow(),
                    Credentials.create(paymaster.signerKey().orElse(chain.operatorKey())), bundler, chain.id(),
                    config.operationTtl(), accounts::chainTime);
            case ALCHEMY -> new GasManagerPaymaster(new JsonRpc("paymaster",
                    paymaster.url().orElse(config.bundlerUrl()), config.rpcTimeout(), json),
                    paymaster.policyId().orElseThrow(), config.entryPoint());
            case ERC7677 -> new Erc7677Paymaster(new JsonRpc("paymaster", paymaster.url().orElseThrow(),
                    config.rpcTimeout(), json), bundler, config.entryPoint(), chain.id(),
                    paymaster.policyId().orElse(null));
        };
    }
}
