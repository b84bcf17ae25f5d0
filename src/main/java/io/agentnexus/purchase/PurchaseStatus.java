package io.agentnexus.purchase;

/**
 * PENDING → CONFIRMED → RELEASED | REFUNDED, or PENDING → EXPIRED when no payment arrives. A buyer may
 * dispute a CONFIRMED purchase within the dispute window: DISPUTED waits for an admin to release or refund.
 */
public enum PurchaseStatus {
    PENDING, CONFIRMED, DISPUTED, RELEASED, REFUNDED, EXPIRED
}
