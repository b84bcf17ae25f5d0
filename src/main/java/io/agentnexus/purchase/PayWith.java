package io.agentnexus.purchase;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who sends a purchase's escrow deposit: the buyer's wallet, or their ERC-4337 smart account (gas sponsored). */
public enum PayWith {
    @JsonProperty("wallet")
    WALLET,
    @JsonProperty("smart-account")
    SMART_ACCOUNT
}
