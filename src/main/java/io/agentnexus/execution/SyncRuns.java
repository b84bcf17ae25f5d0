package io.agentnexus.execution;

import io.agentnexus.execution.ExecutionDtos.ExecutionView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Holds a submit until its run ends ({@code Prefer: wait=N}). Event-driven: the runner signals the end of a
 * run through Redis ({@link LogSignals}), on whichever replica ran it; a re-read every second covers a
 * signal that never comes (Redis down, a replica that died). The run itself knows nothing of the waiter:
 * a client that goes away never cancels it.
 */
@ApplicationScoped
class SyncRuns {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final ExecutionService executions;
    private final LogSignals signals;

    SyncRuns(ExecutionService executions, LogSignals signals) {
        this.executions = executions;
        this.signals = signals;
    }

    /**
     * The execution once final, or as it is when {@code patience} runs out. A client that leaves meanwhile is not
     * noticed (the server reads nothing more of a request it is answering): the wait ends at the latter of the two,
     * at most 60 s, holding a virtual thread and a Redis subscription, never the run.
     */
    ExecutionView await(UUID id, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean interrupted = false;
        LogSignals.Subscription subscription = signals.subscribe(id); // before the first read: no missed end
        try {
            ExecutionView first = executions.current(id);
            ExecutionStatus status = first.status();
            while (!status.isFinal()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    subscription.signals().poll(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // answered now; the flag is restored after the last read
                    break;
                }
                subscription.signals().clear(); // one read catches up with every signal so far
                status = executions.status(id); // the status alone: the whole run is read once, at the end
            }
            return first.status().isFinal() ? first : executions.current(id); // as it is now
        } finally {
            subscription.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
