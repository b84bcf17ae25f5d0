package io.agentnexus.purchase;

import io.agentnexus.agent.Agent;
import io.agentnexus.agent.AgentService;
import io.agentnexus.agent.AgentStatus;
import io.agentnexus.agent.Pricing;
import io.agentnexus.agent.AgentView;
import io.agentnexus.chain.Chain;
import io.agentnexus.entitlement.EntitlementService;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.security.Caller;
import io.agentnexus.purchase.PurchaseDtos.PurchaseList;
import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import io.agentnexus.user.User;
import io.agentnexus.user.Wallet;
import io.agentnexus.wallet.Call;
import io.agentnexus.wallet.OperationIncluded;
import io.agentnexus.wallet.WalletService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Buying an agent: a PENDING purchase names a fresh escrow paymentId and the transaction the buyer's
 * wallet must send; the deposit, once verified on-chain, becomes an entitlement ({@link PaymentService}).
 */
@ApplicationScoped
public class PurchaseService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(PurchaseService.class);

    private final EntityManager em;
    private final AgentService agents;
    private final EntitlementService entitlements;
    private final PaymentService payments;
    private final PurchaseLedger ledger;
    private final WalletService wallets;
    private final Chain chain;
    private final Caller caller;
    private final Clock clock;
    private final PurchaseConfig config;
    private final PurchaseViews views;

    PurchaseService(EntityManager em, AgentService agents, EntitlementService entitlements,
            PaymentService payments, PurchaseLedger ledger, WalletService wallets, Chain chain, Caller caller,
            Clock clock, PurchaseConfig config, PurchaseViews views) {
        this.views = views;
        this.em = em;
        this.agents = agents;
        this.entitlements = entitlements;
        this.payments = payments;
        this.ledger = ledger;
        this.wallets = wallets;
        this.chain = chain;
        this.caller = caller;
        this.clock = clock;
        this.config = config;
    }

    /**
     * A PENDING purchase of access under a fresh paymentId. Paid from the wallet: the answer holds the deposit
     * transaction to send. Paid from the smart account: the answer holds the sponsored operation that deposits
     * (for an ERC-20 price, approve and deposit in one batch), prepared before anything is stored, so a refusal
     * (403, 503) leaves nothing behind.
     */
    public PurchaseView create(PurchaseDtos.Create request) {
        UUID buyer = caller.requireUserId();
        AgentView agent = agents.get(request.agentId());
        if (agent.status() != AgentStatus.ACTIVE) {
            throw ApiException.conflict("agent " + agent.id() + " is not for sale (" + agent.status() + ")");
        }
        if (request.token() != null && !request.token().equalsIgnoreCase(agent.priceToken())) {
            throw ApiException.invalidField("token", "this agent is priced in " + agent.priceToken());
        }
        if (agent.pricing() == Pricing.PER_RUN) {
            throw ApiException.conflict("this agent is paid per run: POST /api/executions pays for each run");
        }
        if (entitlements.holds(buyer, agent.id())) {
            throw ApiException.conflict("you already hold a valid entitlement for this agent");
        }
        PreparedPayment payment = prepare(buyer, agent, PurchaseKind.ACCESS, request.payWith());
        UUID id = QuarkusTransaction.requiringNew().call(() -> record(payment).id);
        return adminView(id); // after the commit: the view reads the stored operation in a transaction of its own
    }

    /** A payment, checked and prepared (paymentId, sponsored deposit operation), nothing stored yet. */
    public record PreparedPayment(UUID buyer, UUID agentId, PurchaseKind kind, PayWith payWith, String paymentId,
            BigInteger amount, String token, WalletService.Prepared deposit) {
    }

    /**
     * Prepares the escrow deposit that pays for access or for one run: outside any transaction, because paying
     * from the smart account asks the chain and the bundler.
     */
    public PreparedPayment prepare(UUID buyer, AgentView agent, PurchaseKind kind, PayWith payWith) {
        if (agent.creator().id().equals(buyer)) {
            throw ApiException.conflict("you created this agent; creators do not pay for their own agents");
        }
        BigInteger amount = new BigInteger(agent.price());
        if (amount.signum() == 0) {
            throw ApiException.conflict("this agent is free: it needs no payment");
        }
        String owner = User.<User>findById(buyer).walletAddress;
        PayWith from = payWith == null ? PayWith.WALLET : payWith;
        String token = Wallet.normalize(agent.priceToken());
        String paymentId = paymentIdOf(from == PayWith.SMART_ACCOUNT ? wallets.accountOf(owner) : owner);
        WalletService.Prepared deposit = from == PayWith.SMART_ACCOUNT
                ? wallets.prepare(owner, depositCalls(paymentId, agent.chainAgentId(), amount, token), true) : null;
        return new PreparedPayment(buyer, agent.id(), kind, from, paymentId, amount, token, deposit);
    }

    /** Stores a prepared payment as a PENDING purchase, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Purchase record(PreparedPayment payment) {
        Purchase p = new Purchase();
        p.user = em.find(User.class, payment.buyer());
        p.agent = em.getReference(Agent.class, payment.agentId());
        p.kind = payment.kind();
        p.paymentId = payment.paymentId();
        p.amount = payment.amount();
        p.token = payment.token();
        p.chainId = chain.chainId();
        p.status = PurchaseStatus.PENDING;
        p.payWith = payment.payWith();
        p.operationId = payment.deposit() == null ? null : wallets.record(payment.buyer(), payment.deposit()).id;
        p.createdAt = clock.instant();
        p.updatedAt = p.createdAt;
        p.expiresAt = p.createdAt.plus(config.ttl());
        p.persist();
        return p;
    }

    /** The smart account's deposit: approve + depositPayment for an ERC-20 price, depositPayment with value for ETH. */
    private List<Call> depositCalls(String paymentId, long chainAgentId, BigInteger amount, String token) {
        Chain.UnsignedTransaction deposit = chain.depositTransaction(paymentId, chainAgentId, amount, token);
        Call depositCall = new Call(deposit.to(), new BigInteger(deposit.value()), deposit.data());
        if (depositCall.value().signum() > 0) { // an ETH price travels as the value (a purchase is never free)
            return List.of(depositCall);
        }
        Chain.UnsignedTransaction approve = chain.approveTransaction(token, amount);
        return List.of(new Call(approve.to(), BigInteger.ZERO, approve.data()), depositCall);
    }

    /** A deposit operation made it into a bundle: confirm its purchase now, as the buyer's confirm call would. */
    void onOperationIncluded(@Observes OperationIncluded included) {
        if (!included.success()) {
            return; // the deposit reverted (the account lacked the price?): the purchase stays PENDING
        }
        QuarkusTransaction.requiringNew().call(() -> Purchase.<Purchase>find(
                "from Purchase p join fetch p.agent where p.operationId = ?1", included.operationId()).firstResultOptional())
                .ifPresent(purchase -> {
                    try {
                        payments.settleDeposit(payments.verifiedDeposit(purchase, included.transactionHash()));
                    } catch (RuntimeException e) { // the chain listener confirms it on a later pass
                        LOG.infof("purchase %s: its deposit operation was included, but confirming failed (%s); "
                                + "the chain listener will", purchase.id, e.getMessage());
                    }
                });
    }

    /** Verifies the buyer's deposit transaction on-chain and, if it pays for this purchase, confirms it. */
    public PurchaseView confirm(UUID id, String txHash) {
        Purchase purchase = own(id);
        String hash = txHash.toLowerCase();
        if (purchase.txHash != null) {
            if (purchase.txHash.equals(hash)) {
                payments.finishConfirmation(purchase.id); // retries an entitlement the chain owed us
                return fresh(id);
            }
            throw ApiException.conflict("this purchase was paid by transaction " + purchase.txHash);
        }
        // Early answer that spares the RPC call; PurchaseLedger.recordDeposit decides under the row lock.
        // Not this purchase: a concurrent confirm of this very purchase may have recorded the hash meanwhile.
        if (Purchase.count("txHash = ?1 and id <> ?2", hash, id) > 0) {
            throw ApiException.conflict("transaction " + hash + " already confirmed another purchase");
        }
        Chain.Deposit deposit = payments.verifiedDeposit(purchase, hash);
        payments.settleDeposit(deposit);
        return fresh(id);
    }

    /** Re-read after the settlement's own transactions: this request's session holds the old state. */
    private PurchaseView fresh(UUID id) {
        em.clear();
        return get(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PurchaseView get(UUID id) {
        return view(own(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PurchaseList mine(int page, int size) {
        UUID buyer = caller.requireUserId();
        long total = Purchase.count("user.id", buyer);
        var purchases = Purchase.<Purchase>find("from Purchase p join fetch p.agent where p.user.id = ?1"
                        + " order by p.createdAt desc, p.id", buyer).page(page, size).list().stream()
                .map(this::view).toList();
        return new PurchaseList(purchases, page, size, total);
    }

    /**
     * The buyer disputes a confirmed access purchase within the dispute window: it is then not settled
     * automatically but waits for an admin to release or refund it.
     */
    public PurchaseView dispute(UUID id, String reason) {
        own(id);
        ledger.dispute(id, reason.strip(), config.disputeWindow());
        return fresh(id);
    }

    /** Admin: pays the escrowed amount out to the agent's creator. */
    public PurchaseView release(UUID id) {
        payments.release(id, "released by an admin" + afterDispute(id));
        return adminView(id);
    }

    /** Admin: returns the escrowed amount to the buyer and revokes the access it bought. */
    public PurchaseView refund(UUID id) {
        payments.refund(id, "refunded by an admin" + afterDispute(id));
        return adminView(id);
    }

    private String afterDispute(UUID id) {
        return ledger.snapshot(id).filter(p -> p.status() == PurchaseStatus.DISPUTED)
                .map(p -> " after the buyer's dispute").orElse("");
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    PurchaseView adminView(UUID id) {
        Purchase purchase = Purchase.findById(id);
        if (purchase == null) {
            throw ApiException.notFound("Purchase", id);
        }
        return view(purchase);
    }

    /** The caller's purchase; anyone else's answers 404. */
    private Purchase own(UUID id) {
        Purchase purchase = Purchase.findById(id);
        if (purchase == null || !purchase.user.id.equals(caller.requireUserId())) {
            throw ApiException.notFound("Purchase", id);
        }
        return purchase;
    }

    /** A purchase as the API shows it. */
    public PurchaseView view(Purchase p) {
        return views.of(p);
    }

    /**
     * The buyer's wallet (20 bytes) ‖ 12 random bytes: the escrow accepts a deposit under it only from that
     * wallet, so nobody else can occupy (front-run) the id; 96 random bits keep a buyer's ids apart.
     */
    static String paymentIdOf(String buyerWallet) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        return Wallet.normalize(buyerWallet) + HexFormat.of().formatHex(nonce);
    }
}
