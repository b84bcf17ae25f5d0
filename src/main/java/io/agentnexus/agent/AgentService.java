package io.agentnexus.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.security.Caller;
import io.agentnexus.user.User;
import io.agentnexus.user.Wallet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The catalog's rules: who sees which agent, who may change it, and how a search becomes a query.
 * An agent that is not ACTIVE is seen only by its creator and admins; to anyone else it does not exist.
 */
@ApplicationScoped
public class AgentService {

    static final String NATIVE_TOKEN = "0x0000000000000000000000000000000000000000";

    private final EntityManager em;
    private final AgentCache cache;
    private final AgentStatsQuery statsQuery;
    private final Caller caller;
    private final Clock clock;
    private final Event<AgentChanged> changed;
    private final ObjectMapper json;

    AgentService(EntityManager em, AgentCache cache, AgentStatsQuery statsQuery, Caller caller, Clock clock,
            Event<AgentChanged> changed, ObjectMapper json) {
        this.json = json;
        this.em = em;
        this.cache = cache;
        this.statsQuery = statsQuery;
        this.caller = caller;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * A page of the catalog from memory, without blocking (the event loop's fast path): only for searches of
     * ACTIVE agents, which are the same for every caller. Null: take {@link #listJson}.
     */
    public byte[] cachedListJson(AgentSearch search) {
        return search.status() == AgentStatus.ACTIVE ? cache.cachedPage(search.canonical()) : null;
    }

    /** A page of the catalog as the API shows it (JSON). Blocking. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public byte[] listJson(AgentSearch search) {
        if (search.status() == AgentStatus.ACTIVE) {
            return cache.pageJson(search.canonical(), () -> query(search));  // the same for every caller
        }
        try {
            return json.writeValueAsBytes(query(search));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An ACTIVE agent's JSON from memory, without blocking (the event loop's fast path). Null: take
     * {@link #getJson}, which also decides who may see an agent that is not ACTIVE.
     */
    public byte[] cachedActiveJson(UUID id) {
        AgentCache.Cached agent = cache.cachedAgent(id);
        return agent != null && agent.status() == AgentStatus.ACTIVE ? agent.json() : null;
    }

    /** The agent as the API shows it (JSON), if the caller may see it. Blocking. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public byte[] getJson(UUID id) {
        AgentCache.Cached agent = cache.agentJson(id, () -> find(id).map(AgentService::view).orElse(null));
        if (agent == null || !visible(agent.status(), agent.creatorId())) {
            throw ApiException.notFound("Agent", id);
        }
        return agent.json();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AgentView get(UUID id) {
        AgentView agent = cache.agent(id, () -> find(id).map(AgentService::view).orElse(null));
        if (agent == null || !visible(agent.status(), agent.creator().id())) {
            throw ApiException.notFound("Agent", id);
        }
        return agent;
    }

    /** Whether a listed (ACTIVE) agent is priced in this ERC-20 token. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isPriceToken(String token) {
        String normalized = Wallet.normalize(token);
        return !NATIVE_TOKEN.equals(normalized) && Agent.count("priceToken = ?1 and status = ?2 and deletedAt is null",
                normalized, AgentStatus.ACTIVE) > 0;
    }

    @Transactional
    public AgentView create(AgentRequests.Create request) {
        Agent agent = new Agent();
        agent.name = request.name().strip();
        agent.description = request.description().strip();
        agent.category = request.category();
        agent.status = request.status() == null ? AgentStatus.ACTIVE : request.status();
        agent.price = new BigInteger(request.price()); // @Wei: fits a uint256
        agent.priceToken = Wallet.normalize(request.priceToken() == null ? NATIVE_TOKEN : request.priceToken());
        agent.pricing = request.pricing() == null ? Pricing.ACCESS : request.pricing();
        agent.version = request.version() == null ? "1.0.0" : request.version();
        agent.dockerImage = request.dockerImage();
        agent.inputSchema = request.inputSchema();
        agent.outputSchema = request.outputSchema();
        agent.memoryMb = request.memoryMb();
        agent.timeoutSeconds = request.timeoutSeconds();
        agent.creator = em.getReference(User.class, caller.requireUserId());
        agent.createdAt = clock.instant();
        agent.updatedAt = agent.createdAt;
        agent.persist();
        em.flush();
        em.refresh(agent); // the database assigns the on-chain id
        changed.fire(new AgentChanged(agent.id));
        return view(agent);
    }

    @Transactional
    public AgentView update(UUID id, AgentRequests.Update request) {
        Agent agent = modifiable(id);
        Optional.ofNullable(request.name()).map(String::strip).ifPresent(v -> agent.name = v);
        Optional.ofNullable(request.description()).map(String::strip).ifPresent(v -> agent.description = v);
        Optional.ofNullable(request.category()).ifPresent(v -> agent.category = v);
        Optional.ofNullable(request.status()).ifPresent(v -> agent.status = v);
        Optional.ofNullable(request.price()).map(BigInteger::new).ifPresent(v -> agent.price = v);
        Optional.ofNullable(request.priceToken()).map(Wallet::normalize).ifPresent(v -> agent.priceToken = v);
        Optional.ofNullable(request.pricing()).ifPresent(v -> agent.pricing = v);
        Optional.ofNullable(request.version()).ifPresent(v -> agent.version = v);
        Optional.ofNullable(request.dockerImage()).ifPresent(v -> agent.dockerImage = v);
        Optional.ofNullable(request.inputSchema()).ifPresent(v -> agent.inputSchema = v);
        Optional.ofNullable(request.outputSchema()).ifPresent(v -> agent.outputSchema = v);
        Optional.ofNullable(request.memoryMb()).ifPresent(v -> agent.memoryMb = v);
        Optional.ofNullable(request.timeoutSeconds()).ifPresent(v -> agent.timeoutSeconds = v);
        agent.updatedAt = clock.instant();
        changed.fire(new AgentChanged(id));
        return view(agent);
    }

    @Transactional
    public void delete(UUID id) {
        Agent agent = modifiable(id);
        agent.deletedAt = clock.instant();
        agent.updatedAt = agent.deletedAt;
        changed.fire(new AgentChanged(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public AgentStats stats(UUID id) {
        get(id); // same visibility as the agent itself
        return statsQuery.of(id);
    }

    /** Visible and owned by the caller (or the caller is an admin): 404 if not visible, 403 if not theirs. */
    private Agent modifiable(UUID id) {
        Agent agent = find(id).filter(a -> visible(a.status, a.creator.id))
                .orElseThrow(() -> ApiException.notFound("Agent", id));
        if (!caller.isAdmin() && !caller.userId().map(agent.creator.id::equals).orElse(false)) {
            throw ApiException.forbidden("only the agent's creator or an admin may change it");
        }
        return agent;
    }

    private boolean visible(AgentStatus status, UUID creatorId) {
        return status == AgentStatus.ACTIVE || caller.isAdmin() || caller.userId().map(creatorId::equals).orElse(false);
    }

    private Optional<Agent> find(UUID id) {
        return em.createQuery("from Agent a join fetch a.creator where a.id = :id and a.deletedAt is null", Agent.class)
                .setParameter("id", id).getResultStream().findFirst();
    }

    private AgentList query(AgentSearch search) {
        StringBuilder where = new StringBuilder(" where a.deletedAt is null and a.status = :status");
        Map<String, Object> params = new HashMap<>();
        params.put("status", search.status());
        if (search.status() != AgentStatus.ACTIVE && !caller.isAdmin()) {
            Optional<UUID> me = caller.userId();
            if (me.isEmpty()) {
                return new AgentList(List.of(), search.page, search.size, 0);
            }
            where.append(" and c.id = :me");
            params.put("me", me.get());
        }
        search.category().ifPresent(v -> {
            where.append(" and a.category = :category");
            params.put("category", v);
        });
        search.text().ifPresent(v -> {
            where.append(" and (lower(a.name) like :text escape '\\' or lower(a.description) like :text escape '\\')");
            params.put("text", "%" + v.toLowerCase(Locale.ROOT).replaceAll("([\\\\%_])", "\\\\$1") + "%");
        });
        search.creator().ifPresent(v -> {
            where.append(" and c.id = :creator");
            params.put("creator", v);
        });
        search.minPrice().ifPresent(v -> {
            where.append(" and a.price >= :minPrice");
            params.put("minPrice", v);
        });
        search.maxPrice().ifPresent(v -> {
            where.append(" and a.price <= :maxPrice");
            params.put("maxPrice", v);
        });
        TypedQuery<Long> count = em.createQuery("select count(a) from Agent a join a.creator c" + where, Long.class);
        TypedQuery<Agent> page = em.createQuery("from Agent a join fetch a.creator c" + where + orderBy(search.sort()),
                Agent.class);
        params.forEach((name, value) -> {
            count.setParameter(name, value);
            page.setParameter(name, value);
        });
        long total = count.getSingleResult();
        List<AgentView> agents = new ArrayList<>();
        if ((long) search.page * search.size < total) {
            page.setFirstResult(search.page * search.size).setMaxResults(search.size)
                    .getResultStream().map(AgentService::view).forEach(agents::add);
        }
        return new AgentList(agents, search.page, search.size, total);
    }

    private static String orderBy(AgentSearch.Sort sort) {
        return switch (sort) {
            case NEWEST -> " order by a.createdAt desc, a.id";
            case PRICE_ASC -> " order by a.price asc, a.createdAt desc, a.id";
            case PRICE_DESC -> " order by a.price desc, a.createdAt desc, a.id";
            case POPULAR -> " order by (select count(e) from Execution e where e.agent = a)"
                    + " + (select count(p) from Purchase p where p.agent = a"
                    + " and p.status in (io.agentnexus.purchase.PurchaseStatus.CONFIRMED,"
                    + " io.agentnexus.purchase.PurchaseStatus.RELEASED)) desc, a.createdAt desc, a.id";
        };
    }

    static AgentView view(Agent a) {
        return new AgentView(a.id, a.chainAgentId, a.name, a.description, a.category, a.status, a.price.toString(),
                Wallet.checksummed(a.priceToken), a.pricing, a.version, a.dockerImage, a.inputSchema, a.outputSchema,
                a.memoryMb, a.timeoutSeconds,
                new AgentView.Creator(a.creator.id, Wallet.checksummed(a.creator.walletAddress), a.creator.username),
                a.createdAt, a.updatedAt);
    }
}
