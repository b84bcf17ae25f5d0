package io.agentnexus.execution;

import io.agentnexus.execution.ExecutionQueue.LogLine;
import io.agentnexus.runtime.ContainerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Collects a container's lines for storage, in batches, up to a cap (then one visible truncation
 * marker and nothing more); remembers the last stdout line, which is the agent's result, and whether
 * it had to be cut; knows when the container's output has ended. Lines are stored, in order, when 200
 * are pending, or on a timer at most {@code flushInterval} after the first pending one came (live logs
 * for followers while the run goes on); once sealed, nothing more is stored.
 */
final class LogCollector implements ContainerRuntime.LogSink {

    private static final Logger LOG = Logger.getLogger(LogCollector.class);
    private static final int BATCH = 200;

    private final UUID executionId;
    private final ExecutionQueue queue;
    private final Runnable onStored;
    private final long capBytes;
    private final List<LogLine> pending = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ScheduledExecutorService flushTimer;
    private final Duration flushInterval;
    private boolean flushScheduled;
    private boolean sealed;
    private volatile long lastLineNanos = System.nanoTime();
    private long storedBytes;
    private int nextSeq;
    private boolean truncated;
    private String lastStdout;
    private boolean lastStdoutCut;

    /**
     * {@code firstSeq}: after the lines an earlier attempt of the same execution stored; {@code flushTimer}
     * (null: none) stores pending lines {@code flushInterval} after the first of them, on a virtual thread.
     */
    LogCollector(UUID executionId, ExecutionQueue queue, long capBytes, int firstSeq, Runnable onStored,
            ScheduledExecutorService flushTimer, Duration flushInterval) {
        this.executionId = executionId;
        this.queue = queue;
        this.onStored = onStored;
        this.capBytes = capBytes;
        this.nextSeq = firstSeq;
        this.flushTimer = flushTimer;
        this.flushInterval = flushInterval;
    }

    /** Without a timer: lines are stored by the batch and by {@link #flush()}. */
    LogCollector(UUID executionId, ExecutionQueue queue, long capBytes, int firstSeq, Runnable onStored) {
        this(executionId, queue, capBytes, firstSeq, onStored, null, null);
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
        ended.countDown();
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
        if (flushTimer == null || flushScheduled) {
            return;
        }
        flushScheduled = true;
        try {
            flushTimer.schedule(() -> Thread.ofVirtual().name("log-flush-" + executionId).start(this::timedFlush),
                    flushInterval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            flushScheduled = false; // the runner's own flush stores them
        }
    }

    /** A store that fails leaves the lines pending: the next one (at the latest the runner's) tries again. */
    private void timedFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf("log lines of execution %s not stored yet: %s", executionId, e.getMessage());
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
                    return ended.getCount() == 0;
                }
                if (ended.await(wait, TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.getCount() == 0;
        }
    }

    synchronized void system(String text, Instant at) {
        if (sealed) {
            return;
        }
        pending.add(new LogLine(ExecutionLogLine.Stream.SYSTEM, text, at));
        flush();
    }

    synchronized void flush() {
        flushScheduled = false;
        if (pending.isEmpty()) {
            return;
        }
        long bytes = pending.stream().mapToLong(l -> l.text().getBytes(StandardCharsets.UTF_8).length + 1).sum();
        queue.appendLogs(executionId, nextSeq, List.copyOf(pending), bytes);
        nextSeq += pending.size();
        pending.clear();
        onStored.run();
    }

    /** Stores what is pending; lines that still come are no longer stored (the run's end is being recorded). */
    synchronized void seal() {
        flush();
        sealed = true;
    }

    synchronized String lastStdout() {
        return lastStdout;
    }

    /** Whether the last stdout line was longer than the runtime's line cap, so that only its start is known. */
    synchronized boolean lastStdoutCut() {
        return lastStdoutCut;
    }
}
