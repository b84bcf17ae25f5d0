package io.agentnexus.execution;

import io.agentnexus.execution.ExecutionQueue.LogLine;
import io.agentnexus.runtime.ContainerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Collects a container's lines for storage, in batches, up to a cap (then one visible truncation
 * marker and nothing more); remembers the last stdout line, which is the agent's result.
 */
final class LogCollector implements ContainerRuntime.LogSink {

    private static final int BATCH = 200;

    private final UUID executionId;
    private final ExecutionQueue queue;
    private final Runnable onStored;
    private final long capBytes;
    private final List<LogLine> pending = new ArrayList<>();
    private long storedBytes;
    private int nextSeq;
    private boolean truncated;
    private String lastStdout;

    LogCollector(UUID executionId, ExecutionQueue queue, long capBytes, Runnable onStored) {
        this.executionId = executionId;
        this.queue = queue;
        this.onStored = onStored;
        this.capBytes = capBytes;
    }

    @Override
    public synchronized void line(ContainerRuntime.Stream stream, String text, Instant at) {
        if (stream == ContainerRuntime.Stream.STDOUT) {
            lastStdout = text;
        }
        if (truncated) {
            return;
        }
        long size = text.getBytes(StandardCharsets.UTF_8).length + 1;
        if (storedBytes + size > capBytes) {
            truncated = true;
            pending.add(new LogLine(ExecutionLogLine.Stream.SYSTEM,
                    "[log truncated: more than " + capBytes + " bytes; later lines are not stored]", at));
        } else {
            storedBytes += size;
            pending.add(new LogLine(ExecutionLogLine.Stream.valueOf(stream.name()), text, at));
        }
        if (pending.size() >= BATCH || truncated) {
            flush();
        }
    }

    synchronized void system(String text, Instant at) {
        pending.add(new LogLine(ExecutionLogLine.Stream.SYSTEM, text, at));
        flush();
    }

    synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        long bytes = pending.stream().mapToLong(l -> l.text().getBytes(StandardCharsets.UTF_8).length + 1).sum();
        queue.appendLogs(executionId, nextSeq, List.copyOf(pending), bytes);
        nextSeq += pending.size();
        pending.clear();
        onStored.run();
    }

    synchronized String lastStdout() {
        return lastStdout;
    }
}
