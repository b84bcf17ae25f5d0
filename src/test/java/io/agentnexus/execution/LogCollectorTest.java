package io.agentnexus.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Log capping, in isolation: a fake store records what would be written. */
class LogCollectorTest {

    private static final class RecordingQueue extends ExecutionQueue {
        final List<LogLine> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Integer> firstSeqs = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordingQueue() {
            super(null, Clock.systemUTC());
        }

        volatile boolean failing;

        @Override
        void appendLogs(List<LogBatch> batches) {
            if (failing) {
                throw new IllegalStateException("the database is away");
            }
            for (LogBatch batch : batches) {
                firstSeqs.add(batch.firstSeq());
                stored.addAll(batch.lines());
            }
        }
    }

    @Test
    void logsBeyondTheCapEndWithOneVisibleMarkerWhileTheResultIsStillTracked() {
        RecordingQueue queue = new RecordingQueue();
        int[] signals = {0};
        LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 100, () -> signals[0]++);
        for (int i = 0; i < 50; i++) {
            logs.line(ContainerRuntime.Stream.STDOUT, "line number " + i, Instant.now());
        }
        logs.line(ContainerRuntime.Stream.STDOUT, "{\"result\": 1}", Instant.now());
        logs.flush();

        ExecutionQueue.LogLine last = queue.stored.getLast();
        assertEquals(ExecutionLogLine.Stream.SYSTEM, last.stream());
        assertTrue(last.text().startsWith("[log truncated"), last.text());
        assertEquals(1, queue.stored.stream().filter(l -> l.stream() == ExecutionLogLine.Stream.SYSTEM).count());
        assertTrue(queue.stored.stream().mapToInt(l -> l.text().length() + 1).sum() < 200);
        assertEquals("{\"result\": 1}", logs.lastStdout());
        assertTrue(signals[0] > 0, "followers were signalled");
        assertEquals(0, queue.firstSeqs.getFirst());
    }

    @Test
    void linesAreStoredInOrderWithIncreasingSequenceNumbers() {
        RecordingQueue queue = new RecordingQueue();
        LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 1 << 20, () -> { });
        for (int i = 0; i < 450; i++) {
            logs.line(i % 2 == 0 ? ContainerRuntime.Stream.STDOUT : ContainerRuntime.Stream.STDERR, "l" + i,
                    Instant.now());
        }
        logs.flush();
        assertEquals(List.of(0, 200, 400), queue.firstSeqs);
        assertEquals(450, queue.stored.size());
        assertEquals("l449", queue.stored.getLast().text());
        assertEquals(ExecutionLogLine.Stream.STDERR, queue.stored.getLast().stream());
    }

    @Test
    void nulBytesAreStoredAsReplacementCharacters() {
        RecordingQueue queue = new RecordingQueue();
        LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 1 << 20, () -> { });
        logs.line(ContainerRuntime.Stream.STDERR, "a\0b", Instant.now());
        logs.flush();
        assertEquals("a\uFFFDb", queue.stored.getFirst().text());
    }

    @Test
    void aCutResultLineIsStoredWithItsMarkerAndKnownToBeCut() {
        RecordingQueue queue = new RecordingQueue();
        LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 1 << 20, () -> { });
        logs.cutLine(ContainerRuntime.Stream.STDOUT, "{\"blob\": \"aaaa", Instant.now());
        logs.flush();
        assertTrue(logs.lastStdoutCut());
        assertEquals("{\"blob\": \"aaaa" + ContainerRuntime.CUT_MARKER, queue.stored.getFirst().text());
        logs.line(ContainerRuntime.Stream.STDOUT, "{}", Instant.now());
        assertTrue(!logs.lastStdoutCut());
    }

    @Test
    void theEndOfTheOutputIsAwaitedWhileLinesKeepComingAndNotForeverAfter() throws InterruptedException {
        RecordingQueue queue = new RecordingQueue();
        LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 1 << 20, () -> { });
        Thread engine = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 5; i++) { // each line comes within the quiet period: the wait goes on
                logs.line(ContainerRuntime.Stream.STDOUT, "late " + i, Instant.now());
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            logs.line(ContainerRuntime.Stream.STDOUT, "{\"result\": 1}", Instant.now());
            logs.closed();
        });
        // A quiet period that a busy machine does not reach between two lines 100 ms apart.
        assertTrue(logs.awaitEnd(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertEquals("{\"result\": 1}", logs.lastStdout());
        engine.join();

        LogCollector silent = new LogCollector(UUID.randomUUID(), queue, 1 << 20, () -> { });
        long before = System.nanoTime();
        assertTrue(!silent.awaitEnd(Duration.ofMillis(200), Duration.ofSeconds(30)), "never closed");
        assertTrue(Duration.ofNanos(System.nanoTime() - before).toMillis() < 5_000);
    }

    @Test
    void aFewLinesAreStoredByTheInstancesWriterWithoutAFullBatchAndInOrder() {
        RecordingQueue queue = new RecordingQueue();
        LogWriter writer = new LogWriter(queue, Duration.ofMillis(20));
        try {
            int[] signals = {0};
            LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 1 << 20, 7, () -> signals[0]++, writer);
            logs.line(ContainerRuntime.Stream.STDOUT, "first", Instant.now());
            logs.line(ContainerRuntime.Stream.STDERR, "second", Instant.now());
            io.agentnexus.support.Await.until(() -> queue.stored.size(), n -> n == 2, Duration.ofSeconds(30),
                    "the pending lines stored by the writer");
            assertEquals(List.of("first", "second"), queue.stored.stream().map(ExecutionQueue.LogLine::text).toList());
            assertEquals(7, queue.firstSeqs.getFirst());
            logs.line(ContainerRuntime.Stream.STDOUT, "third", Instant.now());
            io.agentnexus.support.Await.until(() -> queue.stored.size(), n -> n == 3, Duration.ofSeconds(30),
                    "a later line stored by the writer too");
            assertEquals(List.of(7, 9), queue.firstSeqs);
            assertEquals(2, signals[0], "followers signalled after each store");
        } finally {
            writer.close();
        }
    }

    @Test
    void theWriterStoresManyRunsInOneStoreAndAFailedStoreKeepsTheirLinesInOrder() {
        RecordingQueue queue = new RecordingQueue();
        LogWriter writer = new LogWriter(queue, Duration.ofDays(1)); // passes are run by hand below
        try {
            LogCollector one = new LogCollector(UUID.randomUUID(), queue, 1 << 20, 0, () -> { }, writer);
            LogCollector two = new LogCollector(UUID.randomUUID(), queue, 1 << 20, 0, () -> { }, writer);
            one.line(ContainerRuntime.Stream.STDOUT, "one-a", Instant.now());
            two.line(ContainerRuntime.Stream.STDOUT, "two-a", Instant.now());
            queue.failing = true;
            writer.writeDue();
            assertEquals(List.of(), queue.stored, "nothing stored while the store fails");
            one.line(ContainerRuntime.Stream.STDOUT, "one-b", Instant.now());
            queue.failing = false;
            writer.writeDue();
            assertEquals(List.of(0, 0), queue.firstSeqs, "both runs in one pass, numbered from the start again");
            assertEquals(List.of("one-a", "one-b"), queue.stored.stream().map(ExecutionQueue.LogLine::text)
                    .filter(text -> text.startsWith("one")).toList());
            assertEquals(3, queue.stored.size());
            one.line(ContainerRuntime.Stream.STDOUT, "one-c", Instant.now());
            one.flush(); // the runner's own store, at the end: the next number
            assertEquals(List.of(0, 0, 2), queue.firstSeqs);
        } finally {
            writer.close();
        }
    }

    @Test
    void sealingHandsOverThePendingLinesNumberedAndNothingIsStoredAfter() {
        RecordingQueue queue = new RecordingQueue();
        LogCollector logs = new LogCollector(UUID.randomUUID(), queue, 1 << 20, () -> { });
        logs.system("[stored at once]", Instant.now());
        logs.line(ContainerRuntime.Stream.STDOUT, "{\"result\": 1}", Instant.now());
        ExecutionQueue.LogBatch last = logs.seal();
        assertEquals(1, last.firstSeq(), "after the line already stored");
        assertEquals(List.of("{\"result\": 1}"), last.lines().stream().map(ExecutionQueue.LogLine::text).toList());
        logs.line(ContainerRuntime.Stream.STDOUT, "late", Instant.now());
        logs.system("[late]", Instant.now());
        logs.flush();
        assertEquals(List.of("[stored at once]"), queue.stored.stream().map(ExecutionQueue.LogLine::text).toList());
        assertNull(logs.take(), "the writer takes nothing once sealed");
        assertEquals(last, logs.seal(), "the same lines again, for an end whose store failed");
    }
}
