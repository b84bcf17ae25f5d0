package io.agentnexus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.support.TestAgents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} must do, whatever engine is behind it: the same agents (the images of
 * {@link TestAgents}), the same scenarios, the same observable results. A concrete class per runtime.
 * Streams: Docker keeps stdout and stderr apart, the Kubernetes log merges them; the contract is the order of
 * lines as written and the result as the last stdout line.
 */
abstract class ContainerRuntimeContract {

    static final String TEST_LABEL = "agentnexus.test";

    protected abstract ContainerRuntime runtime();

    /** The same runtime, pointed at an engine or API server that does not answer. */
    protected abstract ContainerRuntime unreachableRuntime();

    /** What a run showed: its exit, every line in arrival order, the stdout lines, lines that were cut. */
    record Run(Optional<ContainerRuntime.Exit> exit, List<String> output, List<String> stdout, List<String> cut) {
    }

    /** Creates, starts, awaits and removes one container; waits for its output to end before answering. */
    Run run(String image, Map<String, String> env, String stdin, IsolationProfile limits, int maxLineBytes) {
        List<String> output = new CopyOnWriteArrayList<>();
        List<String> stdout = new CopyOnWriteArrayList<>();
        List<String> cut = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        String id = runtime().create(new ContainerRuntime.ContainerSpec(image, env,
                Map.of(TEST_LABEL, UUID.randomUUID().toString()), limits));
        try {
            runtime().start(id, stdin.getBytes(StandardCharsets.UTF_8), maxLineBytes, new ContainerRuntime.LogSink() {
                @Override
                public void line(ContainerRuntime.Stream stream, String text, Instant at) {
                    output.add(text);
                    if (stream == ContainerRuntime.Stream.STDOUT) {
                        stdout.add(text);
                    }
                }

                @Override
                public void cutLine(ContainerRuntime.Stream stream, String prefix, Instant at) {
                    cut.add(prefix);
                }

                @Override
                public void closed() {
                    closed.countDown();
                }
            });
            // The exit as the runner waits for it: a future the runtime completes, nothing polled here.
            Optional<ContainerRuntime.Exit> exit = Optional.of(runtime().exited(id).get(60, TimeUnit.SECONDS));
            assertTrue(closed.await(30, TimeUnit.SECONDS), "the output ended");
            return new Run(exit, output, stdout, cut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no exit", e);
        } finally {
            runtime().remove(id);
        }
    }

    Run run(String image, String input) {
        return run(image, Map.of("INPUT", input), input + "\n", IsolationProfile.PLATFORM, 1 << 20);
    }

    @Test
    void outputLinesArriveInOrderAndTheResultIsTheLastStdoutLine() {
        Run run = run(TestAgents.ECHO, "{\"a\":1}");
        assertEquals(0, run.exit().orElseThrow().code());
        assertFalse(run.exit().get().oomKilled());
        assertEquals("{\"echo\": {\"a\":1}}", run.stdout().getLast());
        assertTrue(run.output().indexOf("working on it") < run.output().indexOf("{\"echo\": {\"a\":1}}"), run.output().toString());
    }

    @Test
    void inputReachesTheAgentOnStdin() {
        String input = "{\"text\": \"" + "x".repeat(2000) + "\"}";
        Run run = run(TestAgents.ECHO, Map.of("INPUT", "{}"), input + "\n", IsolationProfile.PLATFORM, 1 << 20);
        assertTrue(run.output().contains("stdin: " + input), run.output().toString());
    }

    @Test
    void inputReachesTheAgentInItsEnvironment() {
        Run run = run(TestAgents.INPUT_SIZES, Map.of("INPUT", "{\"k\": 12345}"), "{}\n", IsolationProfile.PLATFORM,
                1 << 20);
        assertEquals(List.of("{\"stdinBytes\": 2, \"envBytes\": 12, \"inputOnStdin\": \"\"}"), run.stdout());
    }

    @Test
    void aNonZeroExitCodeIsReported() {
        Run run = run(TestAgents.FAIL, "{}");
        assertEquals(3, run.exit().orElseThrow().code());
        assertFalse(run.exit().get().oomKilled());
        assertEquals(List.of("cannot do this: bad input"), run.output());
    }

    @Test
    void anAgentOverItsMemoryLimitIsReportedOomKilled() {
        IsolationProfile small = new IsolationProfile(64L << 20, 500_000_000L, 64, 16L << 20, Duration.ofMinutes(1));
        Run run = run(TestAgents.MEMORY_HOG, Map.of(), "", small, 1 << 20);
        assertTrue(run.exit().orElseThrow().oomKilled(), "OOMKilled");
        assertEquals(137, run.exit().get().code());
        assertTrue(run.stdout().isEmpty(), run.stdout().toString());
    }

    @Test
    void aLineLongerThanTheCapIsCutAndTheRestOfTheOutputIsKept() {
        Run run = run(TestAgents.HUGE_OUTPUT, Map.of(), "", IsolationProfile.PLATFORM, 1000);
        assertEquals(0, run.exit().orElseThrow().code());
        assertTrue(run.output().isEmpty(), run.output().toString());
        assertEquals(List.of("{\"blob\": \"" + "a".repeat(1000 - 10)), run.cut());
    }

    @Test
    void theExitOfARunningContainerCompletesWhenItIsStoppedAndOfARemovedOneAtOnce() throws Exception {
        String id = runtime().create(new ContainerRuntime.ContainerSpec(TestAgents.SLOW, Map.of(),
                Map.of(TEST_LABEL, UUID.randomUUID().toString()), IsolationProfile.PLATFORM));
        try {
            runtime().start(id, new byte[0], 1 << 20, (stream, text, at) -> { });
            CompletableFuture<ContainerRuntime.Exit> exited = runtime().exited(id);
            assertFalse(exited.isDone(), "the slow agent still runs");
            runtime().stop(id, Duration.ofSeconds(1));
            assertTrue(exited.get(30, TimeUnit.SECONDS).code() != 0, "stopped, not a clean exit");
        } finally {
            runtime().remove(id);
        }
        assertTrue(runtime().exited(id).get(30, TimeUnit.SECONDS).code() != 0, "a removed container has exited");
    }

    @Test
    void aContainerIsFoundByLabelWhileItRunsAndRemovingItTwiceIsFine() {
        String marker = UUID.randomUUID().toString();
        // Longer than a Kubernetes label value may be (an instance name is host name + UUID): found and kept whole.
        String instance = "agentnexus-worker-7d9f8c6b5-x2x4z-" + UUID.randomUUID() + "-" + UUID.randomUUID();
        String id = runtime().create(new ContainerRuntime.ContainerSpec(TestAgents.SLOW, Map.of(),
                Map.of(TEST_LABEL, marker, "agentnexus.instance", instance), IsolationProfile.PLATFORM));
        try {
            ContainerRuntime.Container created = runtime().listByLabel(TEST_LABEL, marker).getFirst();
            assertEquals(id, created.id());
            assertFalse(created.running(), "created, not started");
            runtime().start(id, new byte[0], 1 << 20, (stream, text, at) -> { });
            List<ContainerRuntime.Container> found = runtime().listByLabel("agentnexus.instance", instance);
            assertEquals(List.of(id), found.stream().map(ContainerRuntime.Container::id).toList());
            assertEquals(instance, found.getFirst().labels().get("agentnexus.instance"));
            assertEquals(marker, found.getFirst().labels().get(TEST_LABEL));
            assertTrue(found.getFirst().running(), "running");
            assertTrue(runtime().listByLabel(TEST_LABEL, null).stream().anyMatch(c -> c.id().equals(id)));
        } finally {
            runtime().remove(id);
        }
        runtime().remove(id); // twice is fine
        assertTrue(runtime().listByLabel(TEST_LABEL, marker).isEmpty());
    }

    @Test
    void anUnreachableEngineIsADependencyFault() {
        ContainerRuntime down = unreachableRuntime();
        assertFalse(down.reachable());
        assertThrows(DependencyUnavailableException.class, () -> down.listByLabel(TEST_LABEL, "x"));
        assertThrows(DependencyUnavailableException.class, () -> down.create(new ContainerRuntime.ContainerSpec(
                TestAgents.ECHO, Map.of(), Map.of(TEST_LABEL, "x"), IsolationProfile.PLATFORM)));
        assertThrows(DependencyUnavailableException.class, () -> down.remove("gone"));
    }
}
