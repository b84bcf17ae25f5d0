package io.agentnexus.purchase;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Purchases and their settlement. */
@ConfigMapping(prefix = "agentnexus.purchase")
public interface PurchaseConfig {

    /** An unpaid purchase expires after this (a late deposit still confirms it). */
    @WithDefault("30m")
    Duration ttl();

    /**
     * How long a confirmed access purchase stays in escrow for the buyer to dispute it; then it is released or
     * refunded by the outcome of the buyer's runs. Must be shorter than the escrow's refund window (checked at start).
     */
    @WithDefault("72h")
    Duration disputeWindow();

    /** How often each replica looks for purchases to settle. */
    @WithDefault("5s")
    Duration settlementInterval();

    /** How long a replica's claim on a purchase it settles lasts; then another may take it over. */
    @WithDefault("2m")
    Duration settlementClaim();

    /** Most purchases one replica claims per pass. */
    @WithDefault("20")
    int settlementBatch();
}
