package io.agentnexus.chain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the chain is and who we are on it. The operator key is a secret: from the environment only. */
@ConfigMapping(prefix = "agentnexus.chain")
public interface ChainConfig {

    /** EIP-155 chain id (31337 on anvil, 8453 on Base). */
    long id();

    String rpcUrl();

    String escrowAddress();

    String entitlementsAddress();

    /** Private key of the operator account that mints, releases and refunds. Never logged. */
    String operatorKey();

    /** Blocks on top of a deposit's block before it counts (1: the block itself). */
    @WithDefault("1")
    int confirmations();

    /** How often the listener asks for new escrow events. */
    @WithDefault("2s")
    Duration pollInterval();

    /** Where the listener starts on a fresh database (the escrow's deployment block). */
    @WithDefault("0")
    long startBlock();

    /** Most blocks asked for in one eth_getLogs call. */
    @WithDefault("2000")
    int logBatchSize();
}
