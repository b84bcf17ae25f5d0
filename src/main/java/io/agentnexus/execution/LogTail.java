package io.agentnexus.execution;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Follows an execution's log as it is stored, on whichever replica runs it: the runner stores lines in
 * PostgreSQL and signals through Redis ({@link LogSignals}); a follower reads the new rows when
 * signalled (or every second without Redis). Ends with the final status, or within a second of the reader
 * going away (which a quiet run would otherwise not reveal until its next line).
 */
@ApplicationScoped
class LogTail {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofMinutes(10); // beyond any wall time limit

    private final ExecutionService executions;
    private final LogSignals signals;

    LogTail(ExecutionService executions, LogSignals signals) {
        this.executions = executions;
        this.signals = signals;
    }

    void follow(UUID id, int afterSeq, BooleanSupplier readerThere, Consumer<ExecutionLogLine> onLine,
            Consumer<ExecutionStatus> onDone) {
        try (LogSignals.Subscription subscription = signals.subscribe(id)) { // before the first read: no gap
            follow(id, afterSeq, readerThere, onLine, onDone, subscription);
        }
    }

    private void follow(UUID id, int afterSeq, BooleanSupplier readerThere, Consumer<ExecutionLogLine> onLine,
            Consumer<ExecutionStatus> onDone, LogSignals.Subscription subscription) {
        long deadline = System.nanoTime() + LONGEST.toNanos();
        int last = afterSeq;
        while (System.nanoTime() < deadline && readerThere.getAsBoolean()) {
            ExecutionService.LogChunk chunk = executions.logs(id, last);
            for (ExecutionLogLine line : chunk.lines()) {
                onLine.accept(line);
                last = line.key.seq();
            }
            if (chunk.finished() && chunk.lines().size() < 1000) {
                onDone.accept(chunk.status());
                return;
            }
            if (chunk.lines().isEmpty()) {
                try {
                    subscription.signals().poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    subscription.signals().clear(); // one read catches up with every signal so far
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
