package io.agentnexus.wallet;

import java.util.UUID;

/** Fired once when a submitted operation is found in a mined bundle (success false: its calls reverted). */
public record OperationIncluded(UUID operationId, String transactionHash, boolean success) {
}
