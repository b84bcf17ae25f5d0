package io.agentnexus.execution;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The queue's gauges: its depth (what KEDA scales workers on) and the age of the oldest QUEUED run. They are
 * sampled every few seconds, not on each scrape, so that a scrape never waits on the database; while it cannot
 * answer they read NaN (unknown) rather than an old value or a failed scrape. Every replica shares the one queue
 * and reports the same values: alerts take their max.
 */
@ApplicationScoped
class QueueGauges {

    private static final Logger LOG = Logger.getLogger(QueueGauges.class);

    private final ExecutionQueue queue;
    private final Clock clock;
    private volatile double depth = Double.NaN;
    private volatile double oldestSeconds = Double.NaN;

    QueueGauges(ExecutionQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    void register(@Observes StartupEvent startup, MeterRegistry metrics) {
        Gauge.builder("agentnexus.executions.queue.depth", this, g -> g.depth)
                .description("Executions waiting in the queue").register(metrics);
        Gauge.builder("agentnexus.executions.queue.oldest", this, g -> g.oldestSeconds).baseUnit("seconds")
                .description("Age of the oldest queued execution; 0 when none waits").register(metrics);
    }

    // The first sample a second after start, not on the start path (they read NaN, unknown, until then).
    @Scheduled(identity = "execution-queue-gauges", every = "5s", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sample() {
        try {
            ExecutionQueue.Backlog backlog = queue.backlog();
            depth = backlog.depth();
            oldestSeconds = backlog.oldestCreatedEpochSeconds() == null ? 0
                    : Math.max(0, clock.millis() / 1000.0 - backlog.oldestCreatedEpochSeconds());
        } catch (RuntimeException e) {
            depth = Double.NaN;
            oldestSeconds = Double.NaN;
            LOG.debugf("queue gauges unknown while the database cannot answer: %s", e.getMessage());
        }
    }
}
