package io.agentnexus.purchase;

/** PENDING → CONFIRMED → RELEASED | REFUNDED, or PENDING → EXPIRED when no payment arrives. */
public enum PurchaseStatus {
    PENDING, CONFIRMED, RELEASED, REFUNDED, EXPIRED
}
