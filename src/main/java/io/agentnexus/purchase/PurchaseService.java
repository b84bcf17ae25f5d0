package io.agentnexus.purchase;

import io.agentnexus.agent.Agent;
import io.agentnexus.agent.AgentService;
import io.agentnexus.agent.AgentStatus;
import io.agentnexus.agent.AgentView;
import io.agentnexus.chain.Chain;
import io.agentnexus.entitlement.EntitlementService;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.security.Caller;
import io.agentnexus.purchase.PurchaseDtos.PurchaseList;
import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import io.agentnexus.user.User;
import io.agentnexus.user.Wallet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Buying an agent: a PENDING purchase names a fresh escrow paymentId and the transaction the buyer's
 * wallet must send; the deposit, once verified on-chain, becomes an entitlement ({@link PaymentService}).
 */
@ApplicationScoped
public class PurchaseService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final AgentService agents;
    private final EntitlementService entitlements;
    private final PaymentService payments;
    private final Chain chain;
    private final Caller caller;
    private final Clock clock;
    private final Duration ttl;

    PurchaseService(EntityManager em, AgentService agents, EntitlementService entitlements,
            PaymentService payments, Chain chain, Caller caller, Clock clock,
            @ConfigProperty(name = "agentnexus.purchase.ttl", defaultValue = "30m") Duration ttl) {
        this.em = em;
        this.agents = agents;
        this.entitlements = entitlements;
        this.payments = payments;
        this.chain = chain;
        this.caller = caller;
        this.clock = clock;
        this.ttl = ttl;
    }

    @Transactional
    public PurchaseView create(PurchaseDtos.Create request) {
        UUID buyer = caller.requireUserId();
        AgentView agent = agents.get(request.agentId());
        if (agent.status() != AgentStatus.ACTIVE) {
            throw ApiException.conflict("agent " + agent.id() + " is not for sale (" + agent.status() + ")");
        }
        if (agent.creator().id().equals(buyer)) {
            throw ApiException.conflict("you created this agent; creators do not buy their own agents");
        }
        if (request.token() != null && !request.token().equalsIgnoreCase(agent.priceToken())) {
            throw ApiException.invalidField("token", "this agent is priced in " + agent.priceToken());
        }
        BigInteger amount = new BigInteger(agent.price());
        if (amount.signum() == 0) {
            throw ApiException.conflict("this agent is free: it needs no purchase");
        }
        if (entitlements.holds(buyer, agent.id())) {
            throw ApiException.conflict("you already hold a valid entitlement for this agent");
        }
        Purchase purchase = new Purchase();
        purchase.user = em.find(User.class, buyer);
        purchase.agent = em.getReference(Agent.class, agent.id());
        purchase.paymentId = paymentIdOf(purchase.user.walletAddress);
        purchase.amount = amount;
        purchase.token = Wallet.normalize(agent.priceToken());
        purchase.chainId = chain.chainId();
        purchase.status = PurchaseStatus.PENDING;
        purchase.createdAt = clock.instant();
        purchase.updatedAt = purchase.createdAt;
        purchase.expiresAt = purchase.createdAt.plus(ttl);
        purchase.persist();
        return view(purchase, agent.name(), agent.chainAgentId());
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
        Purchase purchase = own(id);
        return view(purchase, purchase.agent.name, purchase.agent.chainAgentId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PurchaseList mine(int page, int size) {
        UUID buyer = caller.requireUserId();
        long total = Purchase.count("user.id", buyer);
        var purchases = Purchase.<Purchase>find("from Purchase p join fetch p.agent where p.user.id = ?1"
                        + " order by p.createdAt desc, p.id", buyer).page(page, size).list().stream()
                .map(p -> view(p, p.agent.name, p.agent.chainAgentId)).toList();
        return new PurchaseList(purchases, page, size, total);
    }

    /** Admin: pays the escrowed amount out to the agent's creator. */
    public PurchaseView release(UUID id) {
        payments.release(id);
        return adminView(id);
    }

    /** Admin: returns the escrowed amount to the buyer and revokes the access it bought. */
    public PurchaseView refund(UUID id) {
        payments.refund(id);
        return adminView(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    PurchaseView adminView(UUID id) {
        Purchase purchase = Purchase.findById(id);
        if (purchase == null) {
            throw ApiException.notFound("Purchase", id);
        }
        return view(purchase, purchase.agent.name, purchase.agent.chainAgentId);
    }

    /** The caller's purchase; anyone else's answers 404. */
    private Purchase own(UUID id) {
        Purchase purchase = Purchase.findById(id);
        if (purchase == null || !purchase.user.id.equals(caller.requireUserId())) {
            throw ApiException.notFound("Purchase", id);
        }
        return purchase;
    }

    private PurchaseView view(Purchase p, String agentName, long chainAgentId) {
        Chain.UnsignedTransaction transaction = p.status == PurchaseStatus.PENDING && p.txHash == null
                ? chain.depositTransaction(p.paymentId, chainAgentId, p.amount, p.token) : null;
        return new PurchaseView(p.id, p.agent.id, agentName, p.status, p.paymentId, p.amount.toString(),
                Wallet.checksummed(p.token), p.chainId, Wallet.checksummed(chain.escrowAddress()), p.expiresAt,
                p.txHash, p.confirmedAt, p.settledAt, p.settleTxHash, p.createdAt, transaction);
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
