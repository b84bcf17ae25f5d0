package io.agentnexus.purchase;

import io.agentnexus.entitlement.EntitlementService;
import io.agentnexus.platform.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
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

    PurchaseLedger(EntityManager em, EntitlementService entitlements, Clock clock) {
        this.em = em;
        this.entitlements = entitlements;
        this.clock = clock;
    }

    /** What a chain step needs to know of a purchase, read in one go. */
    record Snapshot(UUID id, String paymentId, PurchaseStatus status, String txHash, String buyerWallet,
            long chainAgentId, String creatorWallet) {
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

    /** PENDING (paid) → CONFIRMED with its entitlement, once. */
    @Transactional
    void markConfirmed(UUID id, String mintTxHash, long expirySeconds) {
        Purchase purchase = locked(id);
        if (purchase.status != PurchaseStatus.PENDING || purchase.txHash == null) {
            return;
        }
        purchase.status = PurchaseStatus.CONFIRMED;
        purchase.confirmedAt = clock.instant();
        purchase.updatedAt = purchase.confirmedAt;
        entitlements.grant(purchase, mintTxHash, expirySeconds);
    }

    /** Paid → RELEASED or REFUNDED, once; a refund revokes the access it bought. */
    @Transactional
    boolean markSettled(UUID id, PurchaseStatus outcome, String txHash) {
        Purchase purchase = locked(id);
        boolean paid = purchase.status == PurchaseStatus.CONFIRMED
                || (purchase.status == PurchaseStatus.PENDING && purchase.txHash != null);
        if (!paid) {
            return false;
        }
        purchase.status = outcome;
        purchase.settledAt = clock.instant();
        purchase.settleTxHash = txHash;
        purchase.updatedAt = purchase.settledAt;
        if (outcome == PurchaseStatus.REFUNDED) {
            entitlements.revoke(purchase);
        }
        return true;
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
        return new Snapshot(p.id, p.paymentId, p.status, p.txHash, p.user.walletAddress, p.agent.chainAgentId,
                p.agent.creator.walletAddress);
    }
}
