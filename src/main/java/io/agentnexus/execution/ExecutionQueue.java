package io.agentnexus.execution;

import io.agentnexus.runtime.IsolationProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
    private volatile String deploymentId;

    /** Webhook events, published in the transaction of each state change. */
    @jakarta.inject.Inject
    ExecutionEvents events;

    ExecutionQueue(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * What a worker needs to run an execution; {@code firstLogSeq} follows the lines of earlier attempts;
     * {@code cancelRequested}: its user asked to cancel it before this was read.
     */
    record Job(UUID id, int attempt, String image, Map<String, Object> input, Map<String, Object> outputSchema,
            IsolationProfile limits, Duration queueWait, int firstLogSeq, boolean cancelRequested) {
    }

    /** One attempt of an execution: what a worker runs and what a container belongs to. */
    record Attempt(UUID id, int attempt) {
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
        Optional<UUID> id = claimed.stream().findFirst().map(UUID.class::cast);
        id.ifPresent(events::published);
        return id;
    }

    /**
     * Back to the queue: the run could not start because a dependency is down; it is not the run's fault,
     * so it is not counted as an attempt.
     */
    @Transactional
    void requeue(Attempt run) {
        em.createNativeQuery("UPDATE executions SET status = 'QUEUED', started_at = NULL, heartbeat_at = NULL,"
                + " worker = NULL WHERE id = ?1 AND attempt = ?2 AND status = 'RUNNING' AND container_id IS NULL")
                .setParameter(1, run.id()).setParameter(2, run.attempt()).executeUpdate();
    }

    @Transactional
    Job job(UUID id) {
        Execution execution = Execution.findById(id);
        var agent = execution.agent;
        IsolationProfile wanted = new IsolationProfile(
                agent.memoryMb == null ? Long.MAX_VALUE : (long) agent.memoryMb << 20, Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, agent.timeoutSeconds == null ? Duration.ofDays(1) : Duration.ofSeconds(agent.timeoutSeconds));
        int firstLogSeq = ((Number) em.createNativeQuery(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM execution_log_lines WHERE execution_id = ?1")
                .setParameter(1, id).getSingleResult()).intValue();
        return new Job(id, execution.attempt, agent.dockerImage, execution.input, agent.outputSchema,
                wanted.cappedBy(IsolationProfile.PLATFORM), Duration.between(execution.createdAt, execution.startedAt),
                firstLogSeq, execution.cancelRequested);
    }

    /** The container of this attempt exists, created from this image id (what runs is what is recorded). */
    @Transactional
    void started(Attempt run, String containerId, String imageDigest) {
        Execution execution = Execution.findById(run.id());
        if (execution.status == ExecutionStatus.RUNNING && execution.attempt == run.attempt()) {
            execution.containerId = containerId;
            execution.imageDigest = imageDigest;
        }
    }

    /** Lines of one run, numbered from {@code firstSeq}: what a collector hands over to be stored. */
    record LogBatch(UUID executionId, int firstSeq, List<LogLine> lines) {
    }

    /** Rows per INSERT: five parameters each, well under PostgreSQL's 65535 per statement. */
    private static final int LOG_ROWS_PER_STATEMENT = 1000;

    /**
     * Stores these batches, of one run or of many, in one transaction with one multi-row INSERT (per thousand
     * lines): commits, not rows, are what the database pays for most, so an instance stores all its runs' lines
     * at once (LogWriter).
     */
    @Transactional
    void appendLogs(List<LogBatch> batches) {
        List<Object[]> rows = new ArrayList<>();
        for (LogBatch batch : batches) {
            for (int i = 0; i < batch.lines().size(); i++) {
                LogLine line = batch.lines().get(i);
                rows.add(new Object[] {batch.executionId(), batch.firstSeq() + i, line.stream().name(),
                        line.at().atOffset(java.time.ZoneOffset.UTC), line.text()});
            }
        }
        em.unwrap(org.hibernate.Session.class).doWork(connection -> {
            for (int from = 0; from < rows.size(); from += LOG_ROWS_PER_STATEMENT) {
                List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + LOG_ROWS_PER_STATEMENT));
                String values = String.join(", ", java.util.Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)"));
                try (var insert = connection.prepareStatement("INSERT INTO execution_log_lines"
                        + " (execution_id, seq, stream, logged_at, line) VALUES " + values)) {
                    int parameter = 1;
                    for (Object[] row : chunk) {
                        for (Object value : row) {
                            insert.setObject(parameter++, value);
                        }
                    }
                    insert.executeUpdate();
                }
            }
        });
    }

    /** Which of these executions someone asked to cancel: one query for all the runs of an instance. */
    @Transactional
    java.util.Set<UUID> cancelsRequested(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return java.util.Set.copyOf(em.createQuery("select e.id from Execution e where e.id in ?1 and e.cancelRequested"
                + " = true", UUID.class).setParameter(1, ids).getResultList());
    }

    /** The workers of these attempts are alive, whatever phase each is in. */
    @Transactional
    void heartbeat(java.util.Collection<Attempt> runs) {
        Instant now = clock.instant();
        for (Attempt run : runs) {
            em.createNativeQuery("UPDATE executions SET heartbeat_at = ?1 WHERE id = ?2 AND attempt = ?3"
                            + " AND status = 'RUNNING'")
                    .setParameter(1, now).setParameter(2, run.id()).setParameter(3, run.attempt()).executeUpdate();
        }
    }

    /** What became of the RUNNING executions whose worker stopped beating. */
    record Abandoned(int requeued, int failed, int cancelled) {
        int ended() {
            return failed + cancelled;
        }
    }

    /**
     * RUNNING executions whose worker has not been heard of since {@code before} (it stopped or crashed):
     * the platform interrupted them, not the agent, so they go back to the queue as their next attempt,
     * ahead of newer runs (created_at is kept), until {@code maxAttempts}; then FAILED. A requeued run is
     * the same row and never passes through submit again: it is not counted against the user's quota twice.
     * A run its user asked to cancel is CANCELLED instead.
     */
    @Transactional
    Abandoned recoverAbandoned(Instant before, int maxAttempts) {
        int requeued = em.createNativeQuery("""
                UPDATE executions SET status = 'QUEUED', attempt = attempt + 1, started_at = NULL,
                       heartbeat_at = NULL, worker = NULL, container_id = NULL, image_digest = NULL
                WHERE status = 'RUNNING' AND heartbeat_at < ?1 AND attempt < ?2 AND NOT cancel_requested""")
                .setParameter(1, before).setParameter(2, maxAttempts).executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object> ended = em.createNativeQuery("""
                UPDATE executions SET ended_at = ?1,
                       duration_ms = (EXTRACT(EPOCH FROM (?1 - started_at)) * 1000)::BIGINT,
                       status = CASE WHEN cancel_requested THEN 'CANCELLED' ELSE 'FAILED' END,
                       error_message = CASE WHEN cancel_requested THEN 'cancelled by the user'
                           ELSE 'the service instance running it stopped (restart or crash) on each of its '
                                || attempt || ' attempt(s); run it again' END
                WHERE status = 'RUNNING' AND heartbeat_at < ?2
                RETURNING id, status""")
                .setParameter(1, clock.instant()).setParameter(2, before).getResultList();
        ended.forEach(row -> events.published((UUID) ((Object[]) row)[0]));
        int failed = (int) ended.stream().filter(row -> ExecutionStatus.FAILED.name().equals(((Object[]) row)[1])).count();
        return new Abandoned(requeued, failed, ended.size() - failed);
    }

    /** Runs whose payment never arrived (the purchase EXPIRED): CANCELLED. A deposit that still comes is refunded. */
    @Transactional
    int cancelUnpaid() {
        @SuppressWarnings("unchecked")
        List<UUID> cancelled = em.createNativeQuery("""
                UPDATE executions e SET status = 'CANCELLED', ended_at = ?1,
                       error_message = 'cancelled: its payment did not arrive in time'
                FROM purchases p
                WHERE e.purchase_id = p.id AND e.status = 'AWAITING_PAYMENT' AND p.status = 'EXPIRED'
                RETURNING e.id""").setParameter(1, clock.instant()).getResultList();
        cancelled.forEach(events::published);
        return cancelled.size();
    }

    /** This deployment's id (shared by its replicas through the database); it never changes, so it is read once. */
    String deploymentId() {
        String id = deploymentId;
        if (id == null) {
            id = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                    "SELECT id::text FROM deployment_identity").getSingleResult());
            deploymentId = id;
        }
        return id;
    }

    /** The attempt each of these executions is RUNNING (absent: not running); only its container must stay. */
    @Transactional
    Map<UUID, Integer> runningAttempts(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, Integer> running = new java.util.HashMap<>();
        em.createQuery("select e.id, e.attempt from Execution e where e.id in ?1 and e.status = ?2", Object[].class)
                .setParameter(1, ids).setParameter(2, ExecutionStatus.RUNNING).getResultList()
                .forEach(row -> running.put((UUID) row[0], (Integer) row[1]));
        return running;
    }

    /** How many runs wait, and since when the oldest has (epoch seconds; null when none). */
    record Backlog(long depth, Double oldestCreatedEpochSeconds) {
    }

    /** One query, answered from the partial index on QUEUED rows. */
    @Transactional
    Backlog backlog() {
        Object[] row = (Object[]) em.createNativeQuery("SELECT count(*), EXTRACT(EPOCH FROM min(created_at))::float8"
                + " FROM executions WHERE status = 'QUEUED'").getSingleResult();
        return new Backlog(((Number) row[0]).longValue(), row[1] == null ? null : ((Number) row[1]).doubleValue());
    }

    /**
     * RUNNING → a final state, with what the run produced and its last log lines (null: none), in one transaction;
     * an attempt the reaper gave up on changes nothing.
     */
    @Transactional
    void finish(Attempt run, ExecutionStatus status, Integer exitCode, boolean oomKilled, Map<String, Object> output,
            String error, LogBatch lastLines) {
        Execution execution = Execution.findById(run.id());
        if (execution.status != ExecutionStatus.RUNNING || execution.attempt != run.attempt()) {
            return;
        }
        if (lastLines != null) {
            appendLogs(List.of(lastLines));
        }
        execution.status = status;
        execution.exitCode = exitCode;
        execution.oomKilled = oomKilled;
        execution.output = StoredText.clean(output);
        execution.errorMessage = error == null ? null : StoredText.clean(error.substring(0, Math.min(error.length(), 2000)));
        execution.endedAt = clock.instant();
        execution.durationMs = Duration.between(execution.startedAt, execution.endedAt).toMillis();
        events.published(execution);
    }

    /**
     * QUEUED or AWAITING_PAYMENT → CANCELLED at once (a payment that still arrives is refunded by the settlement);
     * RUNNING → flagged for its runner. The status it had.
     */
    @Transactional
    ExecutionStatus cancel(UUID id) {
        Execution execution = em.find(Execution.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        ExecutionStatus before = execution.status;
        if (before == ExecutionStatus.QUEUED || before == ExecutionStatus.AWAITING_PAYMENT) {
            execution.status = ExecutionStatus.CANCELLED;
            execution.endedAt = clock.instant();
            execution.errorMessage = "cancelled before it started";
            events.published(execution);
            return before;
        }
        if (execution.status == ExecutionStatus.RUNNING) {
            execution.cancelRequested = true;
        }
        return execution.status;
    }
}
