package io.agentnexus.receipt;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Signed run receipts. */
@ConfigMapping(prefix = "agentnexus.receipts")
public interface ReceiptsConfig {

    /**
     * Private key that signs run receipts (EIP-712); the chain operator key when unset. A secret, never logged.
     * Changing it changes the published signer: receipts signed before no longer verify against it.
     */
    Optional<String> signerKey();
}
