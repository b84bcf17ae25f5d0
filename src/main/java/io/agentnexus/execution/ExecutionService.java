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

    private final EntityManager em;
    private final AgentService agents;
    private final EntitlementService entitlements;
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

    ExecutionService(EntityManager em, AgentService agents, EntitlementService entitlements, ExecutionQueue queue,
            ExecutionWorkers workers, ContainerRuntime runtime, JsonSchemas schemas, ObjectMapper json, Caller caller, Clock clock,
            ExecutionsConfig config,
            RedisCache cache,
            @ConfigProperty(name = "agentnexus.cache.logs-ttl", defaultValue = "30s") java.time.Duration logCacheTtl) {
        this.cache = cache;
        this.logCacheTtl = logCacheTtl;
        this.em = em;
        this.agents = agents;
        this.entitlements = entitlements;
        this.queue = queue;
        this.workers = workers;
        this.runtime = runtime;
        this.schemas = schemas;
        this.json = json;
        this.caller = caller;
        this.clock = clock;
        this.inputCapBytes = config.inputCap();
    }

    /** Queues a run; the same Idempotency-Key returns the execution it created the first time. */
    @Transactional
    public ExecutionView submit(ExecutionDtos.Submit request, String idempotencyKey) {
        UUID user = caller.requireUserId();
        if (idempotencyKey != null) {
            // one submit per (user, key) at a time, until its transaction ends: a racing twin waits here,
            // then finds the execution the first one committed
            em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))) locked")
                    .setParameter(1, "execution-submit:" + user + ":" + idempotencyKey).getSingleResult();
            Optional<Execution> earlier = Execution.find("user.id = ?1 and idempotencyKey = ?2", user, idempotencyKey)
                    .firstResultOptional();
            if (earlier.isPresent()) {
                return view(earlier.get());
            }
        }
        AgentView agent = agents.get(request.agentId());
        if (agent.status() != AgentStatus.ACTIVE && !agent.creator().id().equals(user)) {
            throw ApiException.conflict("agent " + agent.id() + " is " + agent.status() + " and cannot be run");
        }
        boolean needsNoEntitlement = agent.isFree() || agent.creator().id().equals(user) || caller.isAdmin();
        if (!needsNoEntitlement && !entitlements.holds(user, agent.id())) {
            throw ApiException.forbidden("you hold no valid entitlement for this agent: buy it first");
        }
        checkInput(request.input(), agent.inputSchema());
        if (!runtime.reachable()) {
            throw new DependencyUnavailableException("the container engine cannot be reached; nothing was queued", null);
        }
        Execution execution = new Execution();
        execution.user = em.getReference(User.class, user);
        execution.agent = em.getReference(Agent.class, agent.id());
        execution.status = ExecutionStatus.QUEUED;
        execution.input = request.input();
        events.setWebhook(execution, request);
        execution.idempotencyKey = idempotencyKey;
        execution.createdAt = clock.instant();
        execution.persist();
        em.flush();
        workers.nudge();
        return view(execution);
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
                .page(page, size).list().stream().map(ExecutionService::view).toList();
        return new ExecutionList(executions, page, size, total);
    }

    /** Stops a run (gracefully, then by force); a finished run answers 409; cancelling twice is fine. */
    public ExecutionView cancel(UUID id) {
        visible(id);
        ExecutionStatus before = queue.cancel(id);
        switch (before) {
            case QUEUED, RUNNING, CANCELLED -> { }
            default -> throw ApiException.conflict("execution " + id + " already finished: " + before);
        }
        em.clear();
        return get(id);
    }

    /** The stored log lines after {@code afterSeq}, in order, and the execution's status when they were read. */
    @Transactional // its own short transaction: a follower calls it again and again and must see new rows
    public LogChunk logs(UUID id, int afterSeq) {
        ExecutionStatus status = visible(id).status;
        List<ExecutionLogLine> lines = em.createQuery("from ExecutionLogLine l where l.key.executionId = ?1"
                        + " and l.key.seq > ?2 order by l.key.seq", ExecutionLogLine.class)
                .setParameter(1, id).setParameter(2, afterSeq).setMaxResults(1000).getResultList();
        return new LogChunk(lines, status);
    }

    /** All log lines as text; a finished execution's text is cached (30 s): its logs no longer change. */
    public String logText(UUID id) {
        visible(id);
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
            return status != ExecutionStatus.QUEUED && status != ExecutionStatus.RUNNING;
        }
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

    /** The caller's execution (any, for admins); another user's answers 404. */
    private Execution visible(UUID id) {
        Execution execution = Execution.findById(id);
        if (execution == null || (!caller.isAdmin() && !execution.user.id.equals(caller.requireUserId()))) {
            throw ApiException.notFound("Execution", id);
        }
        return execution;
    }

    static ExecutionView view(Execution e) {
        return new ExecutionView(e.id, e.agent.id, e.agent.name, e.status, e.input, e.output, e.errorMessage,
                e.exitCode, e.oomKilled, e.imageDigest, e.attempt, e.createdAt, e.startedAt, e.endedAt, e.durationMs);
    }

}
