package io.agentnexus.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An agent as the API shows it. Prices are decimal strings of base units. */
public record AgentView(
        UUID id,
        long chainAgentId,
        String name,
        String description,
        AgentCategory category,
        AgentStatus status,
        String price,
        String priceToken,
        @Schema(description = "access: bought once (an entitlement); per-run: each run pays its own escrow deposit")
        Pricing pricing,
        String version,
        String dockerImage,
        Map<String, Object> inputSchema,
        Map<String, Object> outputSchema,
        /** Run limits below the platform's; null: the platform's (512 MiB, 300 s). */
        Integer memoryMb,
        Integer timeoutSeconds,
        Creator creator,
        Instant createdAt,
        Instant updatedAt) {

    /** A free agent (price 0) needs no purchase: any signed-in user may run it. */
    @JsonIgnore
    public boolean isFree() {
        return new BigInteger(price).signum() == 0;
    }

    /** Each run of this agent is funded by its own escrow deposit (unless the agent is free). */
    @JsonIgnore
    public boolean isPaidPerRun() {
        return pricing == Pricing.PER_RUN && !isFree();
    }

    public record Creator(UUID id, String walletAddress, String username) {
    }
}
