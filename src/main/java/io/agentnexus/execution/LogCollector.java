package io.agentnexus.execution;

import io.agentnexus.execution.ExecutionQueue.LogLine;
import io.agentnexus.runtime.ContainerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collects a container's lines for storage, in batches, up to a cap (then one visible truncation
 * marker and nothing more); remembers the last stdout line, which is the agent's result, and whether
 * it had to be cut; knows when the container's output has ended. Lines are stored, in order, when 200
 * are pending, or by the instance's {@link LogWriter} with every other run's at its next pass (live logs
 * for followers while the run goes on); once sealed, nothing more is stored.
 */
final class LogCollector implements ContainerRuntime.LogSink {

    private static final int BATCH = 200;

    private final UUID executionId;
    private final ExecutionQueue queue;
    private final Runnable onStored;
    private final long capBytes;
    private final List<LogLine> pending = new ArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final LogWriter writer;
    /** A batch the writer has taken and not yet stored: this collector's own stores wait for it, to keep order. */
    private boolean taken;
    private boolean sealed;
    private volatile long lastLineNanos = System.nanoTime();
    private long storedBytes;
    private int nextSeq;
    private boolean truncated;
    private String lastStdout;
    private boolean lastStdoutCut;

    /**
     * {@code firstSeq}: after the lines an earlier attempt of the same execution stored; {@code writer} (null:
     * none) stores pending lines with every other run's, at its next pass.
     */
    LogCollector(UUID executionId, ExecutionQueue queue, long capBytes, int firstSeq, Runnable onStored,
            LogWriter writer) {
        this.executionId = executionId;
        this.queue = queue;
        this.onStored = onStored;
        this.capBytes = capBytes;
        this.nextSeq = firstSeq;
        this.writer = writer;
    }

    /** Without a writer: lines are stored by the batch and by {@link #flush()}. */
    LogCollector(UUID executionId, ExecutionQueue queue, long capBytes, int firstSeq, Runnable onStored) {
        this(executionId, queue, capBytes, firstSeq, onStored, null);
    }

    LogCollector(UUID executionId, ExecutionQueue queue, long capBytes, Runnable onStored) {
        this(executionId, queue, capBytes, 0, onStored);
    }

    @Override
    public void line(ContainerRuntime.Stream stream, String text, Instant at) {
        add(stream, text, false, at);
    }

    @Override
    public void cutLine(ContainerRuntime.Stream stream, String prefix, Instant at) {
        add(stream, prefix, true, at);
    }

    @Override
    public void closed() {
        ended.complete(null);
    }

    /** Completes when the container's output has ended. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    private synchronized void add(ContainerRuntime.Stream stream, String text, boolean cut, Instant at) {
        lastLineNanos = System.nanoTime();
        if (stream == ContainerRuntime.Stream.STDOUT) {
            lastStdout = text;
            lastStdoutCut = cut;
        }
        if (truncated || sealed) {
            return;
        }
        String stored = StoredText.clean(cut ? text + ContainerRuntime.CUT_MARKER : text);
        long size = stored.getBytes(StandardCharsets.UTF_8).length + 1;
        if (storedBytes + size > capBytes) {
            truncated = true;
            pending.add(new LogLine(ExecutionLogLine.Stream.SYSTEM,
                    "[log truncated: more than " + capBytes + " bytes; later lines are not stored]", at));
        } else {
            storedBytes += size;
            pending.add(new LogLine(ExecutionLogLine.Stream.valueOf(stream.name()), stored, at));
        }
        if (pending.size() >= BATCH || truncated) {
            flush();
            lastLineNanos = System.nanoTime(); // a slow store is not a silent stream
        } else {
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        if (writer != null) {
            writer.due(this);
        }
    }

    /** For the writer: the pending lines, numbered, now in its hands (null: none, or a batch still out). */
    synchronized ExecutionQueue.LogBatch take() {
        if (taken || sealed) {
            return null;
        }
        ExecutionQueue.LogBatch batch = handOver();
        taken = batch != null;
        return batch;
    }

    /** A batch that was not stored: pending again, in front of what came since, numbers and all. */
    private void giveBack(ExecutionQueue.LogBatch batch) {
        pending.addAll(0, batch.lines());
        nextSeq = batch.firstSeq();
    }

    /** The pending lines as the next numbered batch, still pending (null: none). */
    private ExecutionQueue.LogBatch pendingBatch() {
        return pending.isEmpty() ? null : new ExecutionQueue.LogBatch(executionId, nextSeq, List.copyOf(pending));
    }

    /** The pending lines as the next numbered batch, no longer pending (null: none). */
    private ExecutionQueue.LogBatch handOver() {
        ExecutionQueue.LogBatch batch = pendingBatch();
        if (batch != null) {
            nextSeq += pending.size();
            pending.clear();
        }
        return batch;
    }

    /** The writer's store of a taken batch ended: stored, or back in front of what came since, numbers and all. */
    void taken(ExecutionQueue.LogBatch batch, boolean stored) {
        synchronized (this) {
            if (!stored) {
                giveBack(batch);
            }
            taken = false;
            notifyAll();
        }
        if (stored) {
            onStored.run();
        }
    }

    /**
     * Waits until the container's output has ended: the engine may still be delivering it when the exit
     * is seen. Gives up after {@code quiet} without a new line, or after {@code atMost} in all; false then.
     */
    boolean awaitEnd(Duration quiet, Duration atMost) {
        long giveUp = System.nanoTime() + atMost.toNanos();
        try {
            while (true) {
                long now = System.nanoTime();
                long wait = Math.min(lastLineNanos + quiet.toNanos(), giveUp) - now;
                if (wait <= 0) {
                    return ended.isDone();
                }
                try {
                    ended.get(wait, TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException e) {
                    // a new line since? then wait on from it
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.isDone();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    synchronized void system(String text, Instant at) {
        if (sealed) {
            return;
        }
        pending.add(new LogLine(ExecutionLogLine.Stream.SYSTEM, text, at));
        flush();
    }

    /** Stores what is pending now; once sealed, nothing (the run's end stores those lines). */
    synchronized void flush() {
        awaitWriter();
        if (sealed) {
            return;
        }
        ExecutionQueue.LogBatch batch = handOver();
        if (batch == null) {
            return;
        }
        try {
            queue.appendLogs(List.of(batch));
        } catch (RuntimeException e) {
            giveBack(batch); // a store that fails leaves the lines pending
            throw e;
        }
        onStored.run();
    }

    /** Lines are committed in order: a batch the writer holds goes (or comes back) first. */
    private void awaitWriter() {
        boolean interrupted = false;
        while (taken) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the collection: the lines still pending, numbered after every batch stored before them, for the caller
     * to store with the run's end, in the same transaction (null: none). Lines that still come are not stored.
     * The lines stay here, and sealing again gives the same batch: a run's end whose store failed is stored again
     * (as a platform failure) with them, not without them.
     */
    synchronized ExecutionQueue.LogBatch seal() {
        awaitWriter();
        sealed = true;
        return pendingBatch();
    }

    synchronized String lastStdout() {
        return lastStdout;
    }

    /** Whether the last stdout line was longer than the runtime's line cap, so that only its start is known. */
    synchronized boolean lastStdoutCut() {
        return lastStdoutCut;
    }
}
