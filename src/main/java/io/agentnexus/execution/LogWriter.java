package io.agentnexus.execution;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Stores the pending log lines of every run on this instance, every {@code log-flush-interval}, in one
 * transaction and one INSERT for all of them. A commit per run per interval is what limited how many runs one
 * PostgreSQL could carry (scripts/benchmark-bookkeeping.sh measures it); one per instance is not. Followers still
 * see lines within the interval, and only once they are committed. A store that fails leaves the lines with their
 * collectors, in order, for the next pass.
 */
@ApplicationScoped
class LogWriter {

    private static final Logger LOG = Logger.getLogger(LogWriter.class);

    private final ExecutionQueue queue;
    private final Set<LogCollector> due = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    @Inject
    LogWriter(ExecutionQueue queue, ExecutionsConfig config) {
        this(queue, config.logFlushInterval());
    }

    LogWriter(ExecutionQueue queue, Duration interval) {
        this.queue = queue;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("execution-log-writer").daemon().factory());
        timer.scheduleWithFixedDelay(this::writeDue, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** This collector has lines waiting: the next pass stores them. */
    void due(LogCollector collector) {
        due.add(collector);
    }

    /** One pass: every due collector's lines, in one transaction. */
    void writeDue() {
        List<LogCollector> collectors = new ArrayList<>();
        List<ExecutionQueue.LogBatch> batches = new ArrayList<>();
        for (LogCollector collector : due) {
            due.remove(collector);
            ExecutionQueue.LogBatch batch = collector.take();
            if (batch != null) {
                collectors.add(collector);
                batches.add(batch);
            }
        }
        if (batches.isEmpty()) {
            return;
        }
        boolean stored = false;
        try {
            queue.appendLogs(batches);
            stored = true;
        } catch (RuntimeException e) {
            LOG.warnf("log lines of %d running executions not stored yet: %s", batches.size(), e.getMessage());
        } finally {
            for (int i = 0; i < collectors.size(); i++) {
                collectors.get(i).taken(batches.get(i), stored);
                if (!stored) {
                    due.add(collectors.get(i));
                }
            }
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        close();
    }

    void close() {
        timer.shutdown();
    }
}
