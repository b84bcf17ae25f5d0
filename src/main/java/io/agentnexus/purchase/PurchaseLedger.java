package io.agentnexus.purchase;

import io.agentnexus.entitlement.EntitlementService;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.webhook.WebhookEventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The database side of payments, one short transaction per step, each taking the purchase's row lock:
 * chain calls happen between steps, never inside a transaction. Every step is idempotent, because the
 * buyer's confirm call and the chain listener may both report the same deposit.
 */
@ApplicationScoped
class PurchaseLedger {

    private final EntityManager em;
    private final EntitlementService entitlements;
    private final Clock clock;
    private final Event<RunPaymentConfirmed> runPaid;
    private final PurchaseEvents events;

    PurchaseLedger(EntityManager em, EntitlementService entitlements, Clock clock, Event<RunPaymentConfirmed> runPaid,
            PurchaseEvents events) {
        this.events = events;
        this.em = em;
        this.entitlements = entitlements;
        this.clock = clock;
        this.runPaid = runPaid;
    }

    /** What a chain step needs to know of a purchase, read in one go. */
    record Snapshot(UUID id, PurchaseKind kind, String paymentId, PurchaseStatus status, String txHash,
            String buyerWallet, long chainAgentId, String creatorWallet, UUID buyerId, UUID agentId,
            Instant confirmedAt) {
    }

    @Transactional
    Optional<Snapshot> snapshot(UUID id) {
        return Optional.ofNullable(Purchase.<Purchase>findById(id)).map(PurchaseLedger::snapshotOf);
    }

    @Transactional
    Optional<Snapshot> snapshotByPaymentId(String paymentId) {
        return Purchase.<Purchase>find("paymentId", paymentId).firstResultOptional().map(PurchaseLedger::snapshotOf);
    }

    /** Why the deposit does not pay for the purchase, or null when it does. */
    @Transactional
    String depositMismatch(UUID id, io.agentnexus.chain.Chain.Deposit deposit) {
        Purchase purchase = Purchase.findById(id);
        return PaymentService.mismatch(deposit, purchase.payingWallet(), purchase.agent.chainAgentId, purchase);
    }

    /** Binds the deposit's transaction to the purchase (a late deposit revives an EXPIRED one). */
    @Transactional
    void recordDeposit(UUID id, String txHash, String payer) {
        Purchase purchase = locked(id);
        if (purchase.txHash != null) {
            if (!purchase.txHash.equals(txHash)) {
                throw ApiException.conflict("this purchase was paid by transaction " + purchase.txHash);
            }
            return;
        }
        if (Purchase.count("txHash = ?1 and id <> ?2", txHash, id) > 0) {
            throw ApiException.conflict("transaction " + txHash + " already confirmed another purchase");
        }
        purchase.txHash = txHash;
        purchase.payer = payer;
        if (purchase.status == PurchaseStatus.EXPIRED) {
            purchase.status = PurchaseStatus.PENDING;
        }
        purchase.updatedAt = clock.instant();
    }

    /**
     * PENDING (paid) → CONFIRMED, once: with its entitlement for access, or, for a run, with the run released
     * to the queue (in this transaction, by the execution feature's observer).
     */
    @Transactional
    void markConfirmed(UUID id, String mintTxHash, long expirySeconds) {
        Purchase purchase = locked(id);
        if (purchase.status != PurchaseStatus.PENDING || purchase.txHash == null) {
            return;
        }
        purchase.status = PurchaseStatus.CONFIRMED;
        purchase.confirmedAt = clock.instant();
        purchase.updatedAt = purchase.confirmedAt;
        if (purchase.kind == PurchaseKind.RUN) {
            runPaid.fire(new RunPaymentConfirmed(purchase.id));
        } else {
            entitlements.grant(purchase, mintTxHash, expirySeconds);
        }
        events.published(purchase, WebhookEventType.PURCHASE_CONFIRMED);
    }

    /**
     * Paid → RELEASED or REFUNDED, once; a refund revokes the access it bought. Without a reason (the listener
     * mirroring the chain) the decision recorded before the chain call stays, if there is one.
     */
    @Transactional
    boolean markSettled(UUID id, PurchaseStatus outcome, String txHash, String reason) {
        Purchase purchase = locked(id);
        if (!purchase.isPaid()) {
            return false;
        }
        purchase.status = outcome;
        purchase.settledAt = clock.instant();
        purchase.settleTxHash = txHash;
        if (reason != null || purchase.settlementReason == null) {
            purchase.settlementReason = reason != null ? reason
                    : outcome.name().toLowerCase(java.util.Locale.ROOT) + " on-chain by transaction " + txHash;
        }
        purchase.updatedAt = purchase.settledAt;
        if (outcome == PurchaseStatus.REFUNDED) {
            entitlements.revoke(purchase);
        }
        events.published(purchase, outcome == PurchaseStatus.REFUNDED ? WebhookEventType.PURCHASE_REFUNDED
                : WebhookEventType.PURCHASE_RELEASED);
        return true;
    }

    /**
     * Why it is about to be released or refunded, recorded before the chain is asked: neither a crash in between
     * nor the listener mirroring the chain's event first loses the reason.
     */
    @Transactional
    void recordDecision(UUID id, String reason) {
        Purchase purchase = locked(id);
        if (purchase.isPaid()) {
            purchase.settlementReason = reason;
            purchase.updatedAt = clock.instant();
        }
    }

    /** CONFIRMED → DISPUTED, by its buyer, within the dispute window after confirmation; only access purchases. */
    @Transactional
    void dispute(UUID id, String reason, Duration window) {
        Purchase purchase = locked(id);
        if (purchase.kind == PurchaseKind.RUN) {
            throw ApiException.conflict("a run's payment settles with the run: released if it succeeds, refunded"
                    + " otherwise; there is nothing to dispute");
        }
        if (purchase.status == PurchaseStatus.DISPUTED) {
            throw ApiException.conflict("this purchase is disputed already (" + purchase.disputedAt + ")");
        }
        if (purchase.status != PurchaseStatus.CONFIRMED) {
            throw ApiException.conflict("only a CONFIRMED purchase can be disputed; this one is " + purchase.status);
        }
        Instant closes = purchase.confirmedAt.plus(window);
        Instant now = clock.instant();
        if (!now.isBefore(closes)) {
            throw ApiException.conflict("the dispute window of this purchase closed at " + closes);
        }
        purchase.status = PurchaseStatus.DISPUTED;
        purchase.disputedAt = now;
        purchase.disputeReason = reason;
        purchase.updatedAt = now;
        events.published(purchase, WebhookEventType.PURCHASE_DISPUTED);
    }

    /**
     * Claims up to {@code batch} purchases that are due for settlement and no other replica holds: access
     * purchases confirmed before {@code windowOpenedBefore} and run payments whose run has ended. The claim
     * (FOR UPDATE SKIP LOCKED, then a time-bound mark) keeps replicas apart while the chain call runs outside any
     * transaction; a replica that dies holding one leaves it to the next after {@code claimUntil}.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    List<UUID> claimDue(Instant windowOpenedBefore, Instant claimUntil, int batch) {
        Instant now = clock.instant();
        return em.createNativeQuery("""
                UPDATE purchases SET settlement_claimed_until = ?1
                WHERE id IN (SELECT p.id FROM purchases p
                             WHERE p.status = 'CONFIRMED'
                               AND (p.settlement_claimed_until IS NULL OR p.settlement_claimed_until < ?2)
                               AND ((p.kind = 'ACCESS' AND p.confirmed_at <= ?3)
                                    OR (p.kind = 'RUN' AND EXISTS (SELECT 1 FROM executions e WHERE e.purchase_id = p.id
                                        AND e.status IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED'))))
                             ORDER BY p.confirmed_at LIMIT ?4 FOR UPDATE SKIP LOCKED)
                RETURNING id""").setParameter(1, claimUntil).setParameter(2, now).setParameter(3, windowOpenedBefore)
                .setParameter(4, batch).getResultList();
    }

    /** How the runs of a buyer's access purchase went: final statuses counted, and how many are still in flight. */
    record RunTally(long succeeded, long failed, long cancelled, long inFlight) {
    }

    /** The buyer's runs of the agent queued in [from, to): what the dispute window's decision rests on. */
    @Transactional
    RunTally runsWithin(UUID buyer, UUID agent, Instant from, Instant to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT status, count(*) FROM executions
                WHERE user_id = ?1 AND agent_id = ?2 AND created_at >= ?3 AND created_at < ?4 GROUP BY status""")
                .setParameter(1, buyer).setParameter(2, agent).setParameter(3, from).setParameter(4, to)
                .getResultList();
        java.util.Map<String, Long> counts = new java.util.HashMap<>();
        rows.forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return new RunTally(counts.getOrDefault("SUCCEEDED", 0L),
                counts.getOrDefault("FAILED", 0L) + counts.getOrDefault("TIMED_OUT", 0L),
                counts.getOrDefault("CANCELLED", 0L),
                counts.getOrDefault("QUEUED", 0L) + counts.getOrDefault("RUNNING", 0L));
    }

    /** The run a run payment pays for: its status, whether it ever started, and what went wrong. */
    record PaidRun(String status, boolean started, String error) {
    }

    @Transactional
    Optional<PaidRun> paidRun(UUID purchaseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT status, started_at IS NOT NULL, error_message FROM executions WHERE purchase_id = ?1")
                .setParameter(1, purchaseId).getResultList();
        return rows.stream().findFirst().map(row -> new PaidRun((String) row[0], (Boolean) row[1], (String) row[2]));
    }

    /** Deposits recorded but not yet confirmed: the chain failed while minting. */
    @Transactional
    List<UUID> unconfirmedDeposits() {
        return em.createQuery("select p.id from Purchase p where p.status = ?1 and p.txHash is not null", UUID.class)
                .setParameter(1, PurchaseStatus.PENDING).setMaxResults(100).getResultList();
    }

    /** Unpaid purchases past their expiry. A deposit that still arrives revives them. */
    @Transactional
    int expireUnpaid() {
        return em.createQuery("update Purchase p set p.status = ?1, p.updatedAt = ?2"
                        + " where p.status = ?3 and p.txHash is null and p.expiresAt < ?2")
                .setParameter(1, PurchaseStatus.EXPIRED).setParameter(2, clock.instant())
                .setParameter(3, PurchaseStatus.PENDING).executeUpdate();
    }

    @Transactional
    long cursor(String name, long initial) {
        ChainCursor cursor = ChainCursor.findById(name);
        return cursor == null ? initial : cursor.lastBlock;
    }

    /** Moves the cursor forward only: two replicas polling at once never move it back. */
    @Transactional
    void advanceCursor(String name, long block) {
        em.createNativeQuery("""
                INSERT INTO chain_cursors (name, last_block, updated_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (name) DO UPDATE SET last_block = greatest(chain_cursors.last_block, excluded.last_block),
                                                 updated_at = excluded.updated_at""")
                .setParameter(1, name).setParameter(2, block).setParameter(3, clock.instant()).executeUpdate();
    }

    private Purchase locked(UUID id) {
        Purchase purchase = em.find(Purchase.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (purchase == null) {
            throw ApiException.notFound("Purchase", id);
        }
        return purchase;
    }

    private static Snapshot snapshotOf(Purchase p) {
        return new Snapshot(p.id, p.kind, p.paymentId, p.status, p.txHash, p.user.walletAddress,
                p.agent.chainAgentId, p.agent.creator.walletAddress, p.user.id, p.agent.id, p.confirmedAt);
    }
}
