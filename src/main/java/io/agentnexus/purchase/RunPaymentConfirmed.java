package io.agentnexus.purchase;

import java.util.UUID;

/**
 * The escrow deposit of a pay-per-run execution is verified: its run may be queued. Fired inside the
 * confirming transaction, so the run is queued exactly when its payment is recorded.
 */
public record RunPaymentConfirmed(UUID purchaseId) {
}
