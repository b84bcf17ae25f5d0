package io.agentnexus.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How an agent is paid for: access bought once (an ERC-1155 entitlement, settled after the dispute window),
 * or per run (each run funded by its own escrow deposit, released on success and refunded otherwise).
 */
public enum Pricing {
    @JsonProperty("access")
    ACCESS,
    @JsonProperty("per-run")
    PER_RUN
}
