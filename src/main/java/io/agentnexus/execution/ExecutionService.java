package io.agentnexus.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.agent.Agent;
import io.agentnexus.agent.AgentService;
import io.agentnexus.agent.AgentStatus;
import io.agentnexus.agent.AgentView;
import io.agentnexus.entitlement.EntitlementService;
import io.agentnexus.execution.ExecutionDtos.ExecutionList;
import io.agentnexus.execution.ExecutionDtos.ExecutionView;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.platform.cache.RedisCache;
import io.agentnexus.platform.error.Problem;
import io.agentnexus.platform.security.Caller;
import io.agentnexus.purchase.Purchase;
import io.agentnexus.purchase.PurchaseDtos.PurchaseView;
import io.agentnexus.purchase.PurchaseKind;
import io.agentnexus.purchase.PurchaseService;
import io.agentnexus.purchase.RunPaymentConfirmed;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import io.agentnexus.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Running agents: who may, with which input, and what became of each run. */
@ApplicationScoped
public class ExecutionService {

    @jakarta.inject.Inject
    ExecutionEvents events;

    @jakarta.inject.Inject
    CancelSignals cancels;

    private final EntityManager em;
    private final AgentService agents;
    private final EntitlementService entitlements;
    private final PurchaseService purchases;
    private final ExecutionQueue queue;
    private final ExecutionWorkers workers;
    private final ContainerRuntime runtime;
    private final JsonSchemas schemas;
    private final ObjectMapper json;
    private final Caller caller;
    private final Clock clock;
    private final int inputCapBytes;
    private final RedisCache cache;
    private final java.time.Duration logCacheTtl;

    ExecutionService(EntityManager em, AgentService agents, EntitlementService entitlements, PurchaseService purchases,
            ExecutionQueue queue, ExecutionWorkers workers, ContainerRuntime runtime, JsonSchemas schemas, ObjectMapper json, Caller caller, Clock clock,
            ExecutionsConfig config,
            RedisCache cache,
            @ConfigProperty(name = "agentnexus.cache.logs-ttl", defaultValue = "30s") java.time.Duration logCacheTtl) {
        this.cache = cache;
        this.logCacheTtl = logCacheTtl;
        this.em = em;
        this.agents = agents;
        this.entitlements = entitlements;
        this.purchases = purchases;
        this.queue = queue;
        this.workers = workers;
        this.runtime = runtime;
        this.schemas = schemas;
        this.json = json;
        this.caller = caller;
        this.clock = clock;
        this.inputCapBytes = config.inputCap();
    }

    /**
     * Queues a run; the same Idempotency-Key returns the execution it created the first time. A run of a
     * pay-per-run agent waits, AWAITING_PAYMENT, for its own escrow deposit: the answer carries what pays it.
     */
    public ExecutionView submit(ExecutionDtos.Submit request, String idempotencyKey) {
        UUID user = caller.requireUserId();
        Optional<ExecutionView> replay = earlier(user, idempotencyKey); // spares the checks; decided under the lock
        if (replay.isPresent()) {
            return replay.get();
        }
        AgentView agent = agents.get(request.agentId());
        boolean own = agent.creator().id().equals(user) || caller.isAdmin();
        if (agent.status() != AgentStatus.ACTIVE && !agent.creator().id().equals(user)) {
            throw ApiException.conflict("agent " + agent.id() + " is " + agent.status() + " and cannot be run");
        }
        boolean paysPerRun = agent.isPaidPerRun() && !own;
        UUID entitlementPurchase = null;
        if (!paysPerRun && !agent.isFree() && !own) {
            var entitlement = entitlements.current(user, agent.id()).orElseThrow(
                    () -> ApiException.forbidden("you hold no valid entitlement for this agent: buy it first"));
            entitlementPurchase = entitlement.purchase == null ? null : entitlement.purchase.id;
        }
        checkInput(request.input(), agent.inputSchema());
        if (!runtime.reachable()) {
            throw new DependencyUnavailableException("the container engine cannot be reached; nothing was queued", null);
        }
        // Prepared before the transaction: paying from the smart account asks the chain and the bundler.
        PurchaseService.PreparedPayment payment = paysPerRun
                ? purchases.prepare(user, agent, PurchaseKind.RUN, request.payWith()) : null;
        UUID paidBy = entitlementPurchase;
        UUID id = QuarkusTransaction.requiringNew().call(() -> {
            if (idempotencyKey != null) {
                // one submit per (user, key) at a time, until its transaction ends: a racing twin waits here,
                // then finds the execution the first one committed
                em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) locked")
                        .setParameter(1, "execution-submit:" + user + ":" + idempotencyKey).getSingleResult();
                Optional<UUID> twin = earlierId(user, idempotencyKey);
                if (twin.isPresent()) {
                    return twin.get();
                }
            }
            Execution e = new Execution();
            e.user = em.getReference(User.class, user);
            e.agent = em.getReference(Agent.class, agent.id());
            e.purchase = payment != null ? purchases.record(payment)
                    : paidBy == null ? null : em.getReference(Purchase.class, paidBy);
            e.status = payment != null ? ExecutionStatus.AWAITING_PAYMENT : ExecutionStatus.QUEUED;
            e.input = request.input();
            events.setWebhook(e, request);
            e.idempotencyKey = idempotencyKey;
            e.createdAt = clock.instant();
            e.persist();
            return e.id;
        });
        // Viewed after the commit: a run's payment shows its sponsored operation, read in a transaction of its own.
        ExecutionView execution = view(Execution.findById(id));
        if (execution.status() == ExecutionStatus.QUEUED) {
            workers.nudge();
        }
        return execution;
    }

    private Optional<ExecutionView> earlier(UUID user, String idempotencyKey) {
        return idempotencyKey == null ? Optional.empty() : earlierId(user, idempotencyKey).map(id -> view(Execution.findById(id)));
    }

    private static Optional<UUID> earlierId(UUID user, String idempotencyKey) {
        return Execution.<Execution>find("user.id = ?1 and idempotencyKey = ?2", user, idempotencyKey)
                .firstResultOptional().map(e -> e.id);
    }

    /** Its deposit is verified: the run joins the queue (in the confirming transaction), and a worker wakes. */
    void onRunPaid(@Observes RunPaymentConfirmed paid) {
        em.createQuery("update Execution e set e.status = ?1 where e.purchase.id = ?2 and e.status = ?3")
                .setParameter(1, ExecutionStatus.QUEUED).setParameter(2, paid.purchaseId())
                .setParameter(3, ExecutionStatus.AWAITING_PAYMENT).executeUpdate();
    }

    void wakeWorkerOnRunPaid(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunPaymentConfirmed paid) {
        workers.nudge();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ExecutionView get(UUID id) {
        return view(visible(id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ExecutionList list(Optional<ExecutionStatus> status, Optional<UUID> agentId, int page, int size) {
        StringBuilder where = new StringBuilder("from Execution e join fetch e.agent where 1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (!caller.isAdmin()) {
            where.append(" and e.user.id = :user");
            params.put("user", caller.requireUserId());
        }
        status.ifPresent(s -> {
            where.append(" and e.status = :status");
            params.put("status", s);
        });
        agentId.ifPresent(a -> {
            where.append(" and e.agent.id = :agent");
            params.put("agent", a);
        });
        long total = Execution.count(where.toString().replace(" join fetch e.agent", ""), params);
        List<ExecutionView> executions = Execution.<Execution>find(where + " order by e.createdAt desc, e.id", params)
                .page(page, size).list().stream().map(this::view).toList();
        return new ExecutionList(executions, page, size, total);
    }

    /** Stops a run (gracefully, then by force); a finished run answers 409; cancelling twice is fine. */
    public ExecutionView cancel(UUID id) {
        status(id); // 404 for another user's
        ExecutionStatus before = queue.cancel(id);
        if (before == ExecutionStatus.RUNNING) {
            cancels.cancel(id); // committed: a run on this instance stops now, one elsewhere on the NOTIFY
        }
        switch (before) {
            case AWAITING_PAYMENT, QUEUED, RUNNING, CANCELLED -> { }
            default -> throw ApiException.conflict("execution " + id + " already finished: " + before);
        }
        em.clear();
        return get(id);
    }

    /** The stored log lines after {@code afterSeq}, in order, and the execution's status when they were read. */
    @Transactional // its own short transaction: a follower calls it again and again and must see new rows
    public LogChunk logs(UUID id, int afterSeq) {
        ExecutionStatus status = status(id);
        List<ExecutionLogLine> lines = em.createQuery("from ExecutionLogLine l where l.key.executionId = ?1"
                        + " and l.key.seq > ?2 order by l.key.seq", ExecutionLogLine.class)
                .setParameter(1, id).setParameter(2, afterSeq).setMaxResults(1000).getResultList();
        return new LogChunk(lines, status);
    }

    /** All log lines as text; a finished execution's text is cached (30 s): its logs no longer change. */
    public String logText(UUID id) {
        status(id); // 404 for another user's
        String key = "execution:logs:" + id;
        return cache.get(key, String.class).orElseGet(() -> {
            StringBuilder text = new StringBuilder();
            int last = -1;
            LogChunk chunk;
            do {
                chunk = logs(id, last);
                chunk.lines().forEach(l -> text.append(format(l)));
                if (!chunk.lines().isEmpty()) {
                    last = chunk.lines().getLast().key.seq();
                }
            } while (chunk.lines().size() == 1000);
            if (chunk.finished()) {
                cache.put(key, text.toString(), logCacheTtl);
            }
            return text.toString();
        });
    }

    public record LogChunk(List<ExecutionLogLine> lines, ExecutionStatus status) {
        public boolean finished() {
            return status.isFinal();
        }
    }

    /** A fresh read, in its own short transaction: a sync submit re-reads the run on every signal. */
    @Transactional
    public ExecutionView current(UUID id) {
        return view(visible(id));
    }

    /** The facts of the caller's finished run (any, for admins); 404 for another user's, 409 while it runs. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public FinishedRun finished(UUID id) {
        Execution e = visible(id);
        if (!e.status.isFinal()) {
            throw ApiException.conflict("execution " + id + " has not finished: " + e.status);
        }
        return new FinishedRun(e.id, e.agent.id, e.imageDigest, e.input, e.output, e.status, e.exitCode,
                e.startedAt, e.endedAt, e.purchase == null ? null : e.purchase.paymentId);
    }

    static String format(ExecutionLogLine line) {
        return line.loggedAt + " " + line.stream + " " + line.line + "\n";
    }

    private void checkInput(Map<String, Object> input, Map<String, Object> inputSchema) {
        try {
            if (json.writeValueAsString(input).getBytes(StandardCharsets.UTF_8).length > inputCapBytes) {
                throw new ApiException(Status.REQUEST_ENTITY_TOO_LARGE, "input-too-large",
                        "the input is larger than " + inputCapBytes + " bytes");
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the input cannot be serialised: " + e.getOriginalMessage());
        }
        List<Problem.FieldError> violations = schemas.violations(inputSchema, input, "input");
        if (!violations.isEmpty()) {
            throw new ApiException(Status.BAD_REQUEST, "validation", "the input does not match the agent's "
                    + "inputSchema", violations, Map.of());
        }
    }

    /** The caller's execution's status alone (any, for admins); another user's answers 404. One narrow query. */
    @Transactional
    public ExecutionStatus status(UUID id) {
        return visible(id, "select e.status from Execution e", ExecutionStatus.class);
    }

    /** The caller's execution (any, for admins), with its agent and purchase, which every view shows: one query. */
    private Execution visible(UUID id) {
        return visible(id, "select e from Execution e join fetch e.agent left join fetch e.purchase", Execution.class);
    }

    /** {@code select} of the execution {@code e} if the caller may see it (their own; any, for admins), else 404. */
    private <T> T visible(UUID id, String select, Class<T> type) {
        boolean admin = caller.isAdmin();
        var query = em.createQuery(select + " where e.id = :id" + (admin ? "" : " and e.user.id = :user"), type)
                .setParameter("id", id);
        if (!admin) {
            query.setParameter("user", caller.requireUserId());
        }
        return query.getResultStream().findFirst().orElseThrow(() -> ApiException.notFound("Execution", id));
    }

    ExecutionView view(Execution e) {
        return view(e, purchases);
    }

    /** The execution as the API (and its webhook events) show it; a pay-per-run run with its payment. */
    static ExecutionView view(Execution e, PurchaseService purchases) {
        PurchaseView payment = e.purchase != null && e.purchase.kind == PurchaseKind.RUN ? purchases.view(e.purchase) : null;
        return new ExecutionView(e.id, e.agent.id, e.agent.name, e.status, e.input, e.output, e.errorMessage,
                e.exitCode, e.oomKilled, e.imageDigest, e.attempt, e.createdAt, e.startedAt, e.endedAt, e.durationMs,
                payment);
    }

}
