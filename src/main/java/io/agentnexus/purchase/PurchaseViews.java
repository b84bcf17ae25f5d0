package io.agentnexus.purchase;

import io.agentnexus.chain.Chain;
import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import io.agentnexus.user.Wallet;
import io.agentnexus.wallet.WalletDtos.OperationView;
import io.agentnexus.wallet.WalletService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Purchases as the API and their webhook events show them. */
@ApplicationScoped
class PurchaseViews {

    private final Chain chain;
    private final WalletService wallets;
    private final PurchaseConfig config;

    PurchaseViews(Chain chain, WalletService wallets, PurchaseConfig config) {
        this.chain = chain;
        this.wallets = wallets;
        this.config = config;
    }

    /** An unpaid purchase carries what pays it: the wallet's transaction, or the smart account's operation. */
    PurchaseView of(Purchase p) {
        boolean unpaid = p.status == PurchaseStatus.PENDING && p.txHash == null;
        Chain.UnsignedTransaction transaction = unpaid && p.payWith == PayWith.WALLET
                ? chain.depositTransaction(p.paymentId, p.agent.chainAgentId, p.amount, p.token) : null;
        OperationView operation = unpaid && p.operationId != null ? wallets.view(p.operationId) : null;
        Instant disputeWindowEndsAt = p.kind == PurchaseKind.ACCESS && p.confirmedAt != null
                ? p.confirmedAt.plus(config.disputeWindow()) : null;
        return new PurchaseView(p.id, p.kind, p.agent.id, p.agent.name, p.status, p.paymentId, p.amount.toString(),
                Wallet.checksummed(p.token), p.chainId, Wallet.checksummed(chain.escrowAddress()), p.expiresAt,
                p.txHash, p.confirmedAt, disputeWindowEndsAt, p.disputedAt, p.disputeReason, p.settledAt,
                p.settleTxHash, p.settlementReason, p.createdAt, p.payWith, Wallet.checksummed(p.payingWallet()),
                transaction, p.operationId, operation);
    }
}
