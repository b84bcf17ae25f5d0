package io.agentnexus.purchase;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a payment buys: access to an agent (an entitlement), or one run of a pay-per-run agent. */
public enum PurchaseKind {
    @JsonProperty("access")
    ACCESS,
    @JsonProperty("run")
    RUN
}
