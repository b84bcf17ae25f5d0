package io.agentnexus.execution;

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

/** A bounded pool of workers draining the queue: each claims one execution at a time and runs it. */
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
    private volatile boolean running;

    ExecutionWorkers(ExecutionQueue queue, ExecutionRunner runner, io.agentnexus.runtime.ContainerRuntime runtime,
            ExecutionsConfig config) {
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

    /** A new execution was queued here: a waiting worker may take it now rather than at its next poll. */
    void nudge() {
        synchronized (wakeUp) {
            wakeUp.notify();
        }
    }

    private void work() {
        while (running) {
            try {
                if (!runtime.reachable()) { // claim nothing that cannot run here
                    synchronized (wakeUp) {
                        wakeUp.wait(idle.toMillis());
                    }
                    continue;
                }
                Optional<UUID> claimed = queue.claim(instance);
                if (claimed.isPresent()) {
                    runner.run(claimed.get());
                } else {
                    synchronized (wakeUp) {
                        wakeUp.wait(idle.toMillis());
                    }
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

    private void sleepQuietly() {
        try {
            Thread.sleep(idle.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
