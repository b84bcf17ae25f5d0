package io.agentnexus.wallet;

/** AWAITING_SIGNATURE → SUBMITTED → INCLUDED (success or not: gas was spent) or FAILED (never executed). */
public enum OperationStatus {
    AWAITING_SIGNATURE, SUBMITTED, INCLUDED, FAILED
}
