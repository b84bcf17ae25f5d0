package io.agentnexus.entitlement;

import io.agentnexus.agent.Agent;
import io.agentnexus.chain.Chain;
import io.agentnexus.platform.cache.RedisCache;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.purchase.Purchase;
import io.agentnexus.user.User;
import io.agentnexus.user.Wallet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Access rights to agents: the database mirror of the ERC-1155 tokens. A right counts when its row
 * is current (not revoked, not expired) and, where the chain can be asked, the token is still valid
 * there ({@code hasValidToken}, cached briefly in Redis).
 */
@ApplicationScoped
public class EntitlementService {

    private static final Logger LOG = Logger.getLogger(EntitlementService.class);
    private static final String CURRENT = "from Entitlement e where e.user.id = ?1 and e.revokedAt is null"
            + " and (e.expiresAt is null or e.expiresAt > ?2)";

    private final EntityManager em;
    private final Chain chain;
    private final RedisCache cache;
    private final Clock clock;
    private final Duration validityTtl;

    EntitlementService(EntityManager em, Chain chain, RedisCache cache, Clock clock,
            @ConfigProperty(name = "agentnexus.cache.entitlement-ttl", defaultValue = "30s") Duration validityTtl) {
        this.em = em;
        this.chain = chain;
        this.cache = cache;
        this.clock = clock;
        this.validityTtl = validityTtl;
    }

    /** The user's current entitlements, newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntitlementList current(UUID userId, int page, int size) {
        Instant now = clock.instant();
        var rows = Entitlement.<Entitlement>find(CURRENT.replace("from Entitlement e",
                        "from Entitlement e join fetch e.agent join fetch e.user") + " order by e.createdAt desc",
                userId, now).list();
        var valid = rows.stream().filter(e -> validOnChain(e.user.walletAddress, e.agent.chainAgentId)).toList();
        var pageRows = valid.stream().skip((long) page * size).limit(size)
                .map(e -> new EntitlementView(e.id, e.agent.id, e.agent.name, e.tokenId.toString(),
                        e.amount.toString(), e.purchase == null ? null : e.purchase.id, e.expiresAt, e.createdAt))
                .toList();
        return new EntitlementList(pageRows, page, size, valid.size());
    }

    /** Whether the user may run the agent now. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean holds(UUID userId, UUID agentId) {
        return current(userId, agentId).isPresent();
    }

    /** The user's right to run the agent now, if any: the newest current one that the chain still honours. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Entitlement> current(UUID userId, UUID agentId) {
        return Entitlement.<Entitlement>find(CURRENT + " and e.agent.id = ?3 order by e.createdAt desc", userId,
                clock.instant(), agentId).stream()
                .filter(e -> validOnChain(e.user.walletAddress, e.agent.chainAgentId)).findFirst();
    }

    /** Records the right a confirmed purchase bought; its expiry follows the token's on-chain expiry. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void grant(Purchase purchase, String mintTxHash, long expirySeconds) {
        Entitlement entitlement = new Entitlement();
        entitlement.user = purchase.user;
        entitlement.agent = purchase.agent;
        entitlement.purchase = purchase;
        entitlement.tokenId = BigInteger.valueOf(purchase.agent.chainAgentId);
        entitlement.amount = BigInteger.ONE;
        entitlement.mintTxHash = mintTxHash;
        entitlement.createdAt = clock.instant();
        entitlement.expiresAt = expirySeconds == 0 ? null : entitlement.createdAt.plusSeconds(expirySeconds);
        entitlement.persist();
        forget(purchase.user, purchase.agent);
    }

    /** Revokes what a refunded purchase had granted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revoke(Purchase purchase) {
        em.createQuery("update Entitlement e set e.revokedAt = ?1 where e.purchase = ?2 and e.revokedAt is null")
                .setParameter(1, clock.instant()).setParameter(2, purchase).executeUpdate();
        forget(purchase.user, purchase.agent);
    }

    private boolean validOnChain(String wallet, long chainAgentId) {
        String key = "entitlement:valid:" + wallet + ":" + chainAgentId;
        var cached = cache.get(key, Boolean.class);
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            boolean valid = chain.hasValidToken(wallet, chainAgentId);
            cache.put(key, valid, validityTtl);
            return valid;
        } catch (DependencyUnavailableException e) {
            LOG.warnf("chain unreachable, trusting the database for %s / agent %d", Wallet.checksummed(wallet),
                    chainAgentId);
            return true;
        }
    }

    private void forget(User user, Agent agent) {
        cache.evict("entitlement:valid:" + user.walletAddress + ":" + agent.chainAgentId);
    }
}
