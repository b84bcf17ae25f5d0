package io.agentnexus.execution;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Follows an execution's log as it is stored, on whichever replica runs it: the runner flushes lines
 * to PostgreSQL every quarter second, and every replica reads the same rows. Ends with the final status.
 */
@ApplicationScoped
class LogTail {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration LONGEST = Duration.ofMinutes(10); // beyond any wall time limit

    private final ExecutionService executions;

    LogTail(ExecutionService executions) {
        this.executions = executions;
    }

    void follow(UUID id, int afterSeq, Consumer<ExecutionLogLine> onLine, Consumer<ExecutionStatus> onDone) {
        long deadline = System.nanoTime() + LONGEST.toNanos();
        int last = afterSeq;
        while (System.nanoTime() < deadline) {
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
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
