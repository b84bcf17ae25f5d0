package io.agentnexus.entitlement;

import java.time.Instant;
import java.util.UUID;

/** A right to run an agent, backed by an ERC-1155 token whose id is the agent's chain id. */
public record EntitlementView(UUID id, UUID agentId, String agentName, String tokenId, String amount,
        UUID purchaseId, Instant expiresAt, Instant createdAt) {
}
