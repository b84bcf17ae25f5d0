package io.agentnexus.execution;

import io.agentnexus.runtime.IsolationProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable execution queue in PostgreSQL and the records of runs, one short transaction per step.
 * Claiming takes the oldest QUEUED row with FOR UPDATE SKIP LOCKED in the same statement that marks it
 * RUNNING: two instances on one database never run one execution twice.
 */
@ApplicationScoped
class ExecutionQueue {

    private final EntityManager em;
    private final Clock clock;

    ExecutionQueue(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** What a worker needs to run an execution. */
    record Job(UUID id, String image, Map<String, Object> input, Map<String, Object> outputSchema,
            IsolationProfile limits, Duration queueWait) {
    }

    record LogLine(ExecutionLogLine.Stream stream, String text, Instant at) {
    }

    @Transactional
    Optional<UUID> claim(String worker) {
        @SuppressWarnings("unchecked")
        List<Object> claimed = em.createNativeQuery("""
                UPDATE executions SET status = 'RUNNING', started_at = ?1, heartbeat_at = ?1, worker = ?2
                WHERE id = (SELECT id FROM executions WHERE status = 'QUEUED' ORDER BY created_at
                            FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id""").setParameter(1, clock.instant()).setParameter(2, worker).getResultList();
        return claimed.stream().findFirst().map(id -> (UUID) id);
    }

    /** Back to the queue: the run could not start because a dependency is down; it is not the run's fault. */
    @Transactional
    void requeue(UUID id) {
        em.createNativeQuery("UPDATE executions SET status = 'QUEUED', started_at = NULL, heartbeat_at = NULL,"
                + " worker = NULL WHERE id = ?1 AND status = 'RUNNING' AND container_id IS NULL")
                .setParameter(1, id).executeUpdate();
    }

    @Transactional
    Job job(UUID id) {
        Execution execution = Execution.findById(id);
        var agent = execution.agent;
        IsolationProfile wanted = new IsolationProfile(
                agent.memoryMb == null ? Long.MAX_VALUE : (long) agent.memoryMb << 20, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, agent.timeoutSeconds == null ? Duration.ofDays(1) : Duration.ofSeconds(agent.timeoutSeconds));
        return new Job(id, agent.dockerImage, execution.input, agent.outputSchema,
                wanted.cappedBy(IsolationProfile.PLATFORM), Duration.between(execution.createdAt, execution.startedAt));
    }

    @Transactional
    void started(UUID id, String containerId, String imageDigest) {
        Execution execution = Execution.findById(id);
        execution.containerId = containerId;
        execution.imageDigest = imageDigest;
    }

    @Transactional
    void appendLogs(UUID id, int firstSeq, List<LogLine> lines, long bytes) {
        for (int i = 0; i < lines.size(); i++) {
            LogLine line = lines.get(i);
            em.createNativeQuery("INSERT INTO execution_log_lines (execution_id, seq, stream, logged_at, line)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, id).setParameter(2, firstSeq + i).setParameter(3, line.stream().name())
                    .setParameter(4, line.at()).setParameter(5, line.text()).executeUpdate();
        }
        em.createNativeQuery("UPDATE executions SET log_bytes = log_bytes + ?1 WHERE id = ?2")
                .setParameter(1, bytes).setParameter(2, id).executeUpdate();
    }

    /** Its worker is alive (heartbeat); has anyone asked to cancel it? */
    @Transactional
    boolean heartbeat(UUID id) {
        return (Boolean) em.createNativeQuery(
                        "UPDATE executions SET heartbeat_at = ?1 WHERE id = ?2 RETURNING cancel_requested")
                .setParameter(1, clock.instant()).setParameter(2, id).getSingleResult();
    }

    /** RUNNING executions whose worker has not been heard of since {@code before}: it stopped or crashed. */
    @Transactional
    int failAbandoned(Instant before) {
        return em.createNativeQuery("""
                UPDATE executions SET status = 'FAILED', ended_at = ?1,
                       duration_ms = (EXTRACT(EPOCH FROM (?1 - started_at)) * 1000)::BIGINT,
                       error_message = 'the service instance running it stopped (restart or crash); run it again'
                WHERE status = 'RUNNING' AND heartbeat_at < ?2""")
                .setParameter(1, clock.instant()).setParameter(2, before).executeUpdate();
    }

    /** Which of these executions are still RUNNING (their containers must stay). */
    @Transactional
    java.util.Set<UUID> running(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(em.createQuery(
                        "select e.id from Execution e where e.id in ?1 and e.status = ?2", UUID.class)
                .setParameter(1, ids).setParameter(2, ExecutionStatus.RUNNING).getResultList());
    }

    @Transactional
    long depth() {
        return Execution.count("status", ExecutionStatus.QUEUED);
    }

    /** RUNNING → a final state, with what the run produced. */
    @Transactional
    void finish(UUID id, ExecutionStatus status, Integer exitCode, boolean oomKilled, Map<String, Object> output,
            String error) {
        Execution execution = Execution.findById(id);
        if (execution.status != ExecutionStatus.RUNNING) {
            return;
        }
        execution.status = status;
        execution.exitCode = exitCode;
        execution.oomKilled = oomKilled;
        execution.output = output;
        execution.errorMessage = error == null ? null : error.substring(0, Math.min(error.length(), 2000));
        execution.endedAt = clock.instant();
        execution.durationMs = Duration.between(execution.startedAt, execution.endedAt).toMillis();
    }

    /** QUEUED → CANCELLED at once; RUNNING → flagged for its runner. The status it had. */
    @Transactional
    ExecutionStatus cancel(UUID id) {
        Execution execution = em.find(Execution.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (execution.status == ExecutionStatus.QUEUED) {
            execution.status = ExecutionStatus.CANCELLED;
            execution.endedAt = clock.instant();
            execution.errorMessage = "cancelled before it started";
            return ExecutionStatus.QUEUED;
        }
        if (execution.status == ExecutionStatus.RUNNING) {
            execution.cancelRequested = true;
        }
        return execution.status;
    }
}
