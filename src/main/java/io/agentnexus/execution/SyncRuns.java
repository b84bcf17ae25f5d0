package io.agentnexus.execution;

import io.agentnexus.execution.ExecutionDtos.ExecutionView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Holds a submit until its run ends ({@code Prefer: wait=N}). Event-driven: the runner signals the end of a
 * run through Redis ({@link LogSignals}), on whichever replica ran it; a re-read every second covers a
 * signal that never comes (Redis down, a replica that died). The run itself knows nothing of the waiter:
 * a client that goes away only ends the wait.
 */
@ApplicationScoped
class SyncRuns {

    private static final Duration RECHECK = Duration.ofSeconds(1);
    /** How soon a client that went away is noticed (a cheap look at the connection, no query). */
    private static final Duration CLIENT_CHECK = Duration.ofMillis(200);

    private final ExecutionService executions;
    private final LogSignals signals;

    SyncRuns(ExecutionService executions, LogSignals signals) {
        this.executions = executions;
        this.signals = signals;
    }

    /** The execution once final, or as it is when {@code patience} runs out or the client has gone. */
    ExecutionView await(UUID id, Duration patience, BooleanSupplier clientGone) {
        long deadline = System.nanoTime() + patience.toNanos();
        try (LogSignals.Subscription subscription = signals.subscribe(id)) { // before the first read: no missed end
            ExecutionView execution = executions.current(id);
            long nextRead = System.nanoTime() + RECHECK.toNanos();
            while (!execution.status().isFinal() && !clientGone.getAsBoolean()) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    break;
                }
                boolean signalled = subscription.signals().poll(Math.min(deadline - now, CLIENT_CHECK.toNanos()),
                        TimeUnit.NANOSECONDS) != null;
                if (signalled || System.nanoTime() >= nextRead) {
                    subscription.signals().clear(); // one read catches up with every signal so far
                    execution = executions.current(id);
                    nextRead = System.nanoTime() + RECHECK.toNanos();
                }
            }
            return execution.status().isFinal() ? execution : executions.current(id); // as it is now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return executions.current(id);
        }
    }
}
