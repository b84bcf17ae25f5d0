package io.agentnexus.execution;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A bounded pool of workers draining the queue: each claims one execution at a time and runs it. Idle workers
 * wait to be woken: by a run queued on this instance, by PostgreSQL's NOTIFY of a run queued on any replica
 * ({@link QueueNotifications}), or at the latest after the poll interval (the safety net).
 */
@ApplicationScoped
class ExecutionWorkers {

    private static final Logger LOG = Logger.getLogger(ExecutionWorkers.class);

    private final ExecutionQueue queue;
    private final ExecutionRunner runner;
    private final io.agentnexus.runtime.ContainerRuntime runtime;
    private final int size;
    private final Duration idle;
    private final String instance;
    private final List<Thread> threads = new ArrayList<>();
    private final Object wakeUp = new Object();
    private final MeterRegistry metrics;
    /** Wake-ups so far (guarded by wakeUp): a worker that saw a change while it claimed does not go to sleep. */
    private long wakeUps;
    private volatile boolean running;

    /** What woke the workers, as counted in agentnexus.executions.worker.wakeups{source}. */
    enum Wake {
        LOCAL, NOTIFICATION, RECONNECT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    ExecutionWorkers(ExecutionQueue queue, ExecutionRunner runner, io.agentnexus.runtime.ContainerRuntime runtime,
            ExecutionsConfig config, MeterRegistry metrics) {
        this.metrics = metrics;
        this.queue = queue;
        this.runner = runner;
        this.runtime = runtime;
        this.size = config.workers();
        this.idle = config.pollInterval();
        this.instance = config.instance();
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        for (int i = 0; i < size; i++) {
            threads.add(Thread.ofPlatform().name("execution-worker-" + i).daemon().start(this::work));
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** A new execution was queued here: a waiting worker may take it now. */
    void nudge() {
        metrics.counter("agentnexus.executions.worker.wakeups", "source", Wake.LOCAL.tag()).increment();
        synchronized (wakeUp) {
            wakeUps++;
            wakeUp.notify();
        }
    }

    /** Runs were queued somewhere (a notification says that some were, not how many): every idle worker looks. */
    void wakeAll(Wake source) {
        metrics.counter("agentnexus.executions.worker.wakeups", "source", source.tag()).increment();
        synchronized (wakeUp) {
            wakeUps++;
            wakeUp.notifyAll();
        }
    }

    private void work() {
        while (running) {
            try {
                long seen;
                synchronized (wakeUp) {
                    seen = wakeUps;
                }
                if (!runtime.reachable()) { // claim nothing that cannot run here
                    idle(seen);
                    continue;
                }
                Optional<UUID> claimed = queue.claim(instance);
                if (claimed.isPresent()) {
                    runner.run(claimed.get());
                } else {
                    idle(seen);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("execution worker: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    /** Until woken or the poll interval has passed; at once if a wake-up came since {@code seen}. */
    private void idle(long seen) throws InterruptedException {
        synchronized (wakeUp) {
            if (wakeUps == seen && running) {
                wakeUp.wait(idle.toMillis());
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(Math.min(idle.toMillis(), 1_000)); // a back-off after a failure, not the idle poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
