package io.agentnexus.purchase;

import io.agentnexus.chain.Chain;
import io.agentnexus.chain.ChainConfig;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.user.Wallet;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns what the chain says into purchase states: verifies deposits, mints entitlements, releases
 * and refunds. Used by the buyer's confirm call, the admin endpoints and the chain listener alike.
 */
@ApplicationScoped
public class PaymentService {

    private static final Logger LOG = Logger.getLogger(PaymentService.class);

    private final Chain chain;
    private final ChainConfig config;
    private final PurchaseLedger ledger;

    PaymentService(Chain chain, ChainConfig config, PurchaseLedger ledger) {
        this.chain = chain;
        this.config = config;
        this.ledger = ledger;
    }

    /** The deposit in {@code txHash} that pays exactly for this purchase, or a 4xx saying why not. */
    Chain.Deposit verifiedDeposit(Purchase purchase, String txHash) {
        Chain.Receipt receipt = chain.receipt(txHash);
        switch (receipt.status()) {
            case NOT_FOUND -> throw ApiException.conflict("transaction " + txHash + " is not on chain "
                    + chain.chainId() + " (yet); confirm again once it is mined");
            case REVERTED -> throw ApiException.badRequest("transaction " + txHash + " reverted: nothing was paid");
            case SUCCEEDED -> { }
        }
        if (receipt.confirmations() < config.confirmations()) {
            throw ApiException.conflict("transaction " + txHash + " has " + receipt.confirmations() + " of "
                    + config.confirmations() + " confirmations; confirm again shortly");
        }
        Chain.Deposit deposit = receipt.deposits().stream()
                .filter(d -> d.paymentId().equalsIgnoreCase(purchase.paymentId)).findFirst()
                .orElseThrow(() -> ApiException.badRequest("transaction " + txHash
                        + " made no deposit for this purchase into the escrow " + chain.escrowAddress()));
        String mismatch = mismatch(deposit, purchase.payingWallet(), purchase.agent.chainAgentId, purchase);
        if (mismatch != null) {
            throw ApiException.badRequest(mismatch);
        }
        return deposit;
    }

    /** Why a deposit does not pay for the purchase, or null when it does. */
    static String mismatch(Chain.Deposit deposit, String payingWallet, long chainAgentId, Purchase purchase) {
        if (!deposit.payer().equalsIgnoreCase(payingWallet)) {
            return "the deposit was paid from " + Wallet.checksummed(deposit.payer()) + ", not from "
                    + Wallet.checksummed(payingWallet) + ", the wallet this purchase is paid from";
        }
        if (!deposit.agentId().equals(BigInteger.valueOf(chainAgentId))) {
            return "the deposit is for agent " + deposit.agentId() + ", not " + chainAgentId;
        }
        if (!deposit.amount().equals(purchase.amount)) {
            return "the deposit is " + deposit.amount() + ", the price is " + purchase.amount;
        }
        if (!deposit.token().equalsIgnoreCase(purchase.token)) {
            return "the deposit is in token " + deposit.token() + ", the price in " + purchase.token;
        }
        return null;
    }

    /** Records a verified deposit and turns it into an entitlement. Idempotent. */
    void settleDeposit(Chain.Deposit deposit) {
        PurchaseLedger.Snapshot purchase = ledger.snapshotByPaymentId(deposit.paymentId())
                .orElseThrow(() -> ApiException.notFound("Purchase with payment", deposit.paymentId()));
        ledger.recordDeposit(purchase.id(), deposit.txHash(), deposit.payer());
        finishConfirmation(purchase.id());
    }

    /**
     * Mints the entitlement a recorded deposit paid for and confirms. Callers may race (confirm calls, the
     * listener, replicas): the chain mints once per paymentId, and only the first confirmation is recorded.
     */
    void finishConfirmation(UUID purchaseId) {
        PurchaseLedger.Snapshot purchase = ledger.snapshot(purchaseId).orElseThrow();
        if (purchase.status() != PurchaseStatus.PENDING || purchase.txHash() == null) {
            return;
        }
        if (purchase.kind() == PurchaseKind.RUN) { // a run's payment mints nothing: the run is what it buys
            ledger.markConfirmed(purchaseId, null, 0);
        } else {
            String mintTx = chain.mintForPayment(purchase.paymentId(), purchase.buyerWallet(), purchase.chainAgentId());
            ledger.markConfirmed(purchaseId, mintTx, chain.tokenExpirySeconds(purchase.chainAgentId()));
        }
        LOG.infof("purchase %s confirmed by %s", purchaseId, purchase.txHash());
    }

    /** Pays a confirmed (or disputed) purchase out to the creator, minus the platform fee; {@code reason} is kept. */
    public void release(UUID purchaseId, String reason) {
        PurchaseLedger.Snapshot purchase = paid(purchaseId, true);
        ledger.recordDecision(purchaseId, reason);
        String tx = chain.release(purchase.paymentId(), purchase.chainAgentId(), purchase.creatorWallet());
        ledger.markSettled(purchaseId, PurchaseStatus.RELEASED, tx, reason);
    }

    /** Returns a paid purchase to its buyer and revokes the access it bought; {@code reason} is kept. */
    public void refund(UUID purchaseId, String reason) {
        PurchaseLedger.Snapshot purchase = paid(purchaseId, false);
        ledger.recordDecision(purchaseId, reason);
        String tx = chain.refund(purchase.paymentId());
        ledger.markSettled(purchaseId, PurchaseStatus.REFUNDED, tx, reason);
        burn(purchase);
    }

    /**
     * A release or refund the chain reports (maybe done by someone else, e.g. the payer after the deadline):
     * mirror it. A refund always burns: the burn is idempotent, and so a burn that an outage interrupted
     * elsewhere is finished here.
     */
    void settled(PurchaseLedger.Snapshot purchase, PurchaseStatus outcome, String txHash) {
        ledger.markSettled(purchase.id(), outcome, txHash, null);
        if (outcome == PurchaseStatus.REFUNDED) {
            burn(purchase);
        }
    }

    /** The listener burns too when it sees the refund: the chain burns a payment's token once. Runs mint none. */
    private void burn(PurchaseLedger.Snapshot purchase) {
        if (purchase.kind() == PurchaseKind.ACCESS) {
            chain.burnForPayment(purchase.paymentId());
        }
    }

    private PurchaseLedger.Snapshot paid(UUID purchaseId, boolean mustBeConfirmed) {
        PurchaseLedger.Snapshot purchase = ledger.snapshot(purchaseId)
                .orElseThrow(() -> ApiException.notFound("Purchase", purchaseId));
        boolean ok = purchase.status() == PurchaseStatus.CONFIRMED || purchase.status() == PurchaseStatus.DISPUTED
                || (!mustBeConfirmed && purchase.status() == PurchaseStatus.PENDING && purchase.txHash() != null);
        if (!ok) {
            throw ApiException.conflict("purchase " + purchaseId + " is " + purchase.status()
                    + (purchase.txHash() == null ? " and unpaid" : ""));
        }
        return purchase;
    }
}
