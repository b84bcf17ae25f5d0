package io.agentnexus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.TestAgents;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The isolation profile and the container lifecycle, against the machine's real Docker engine. */
@QuarkusTest
class DockerContainerRuntimeTest {

    @Inject
    ContainerRuntime runtime;

    @BeforeEach
    void images() {
        TestAgents.build(runtime);
    }

    private record Run(Optional<ContainerRuntime.Exit> exit, List<String> stdout, List<String> stderr) {
    }

    private Run run(String image, String input, IsolationProfile limits, Duration timeout) {
        List<String> stdout = new CopyOnWriteArrayList<>();
        List<String> stderr = new CopyOnWriteArrayList<>();
        String id = runtime.create(new ContainerRuntime.ContainerSpec(image, Map.of("INPUT", input),
                Map.of("agentnexus.test", UUID.randomUUID().toString()), limits));
        try {
            runtime.start(id, (input + "\n").getBytes(StandardCharsets.UTF_8), 1 << 20, (stream, text, at) ->
                    (stream == ContainerRuntime.Stream.STDOUT ? stdout : stderr).add(text));
            Optional<ContainerRuntime.Exit> exit = runtime.await(id, timeout);
            return new Run(exit, stdout, stderr);
        } finally {
            runtime.remove(id);
        }
    }

    @Test
    void agentGetsItsInputInEnvAndOnStdinAndItsOutputIsCaptured() {
        Run run = run(TestAgents.ECHO, "{\"a\":1}", IsolationProfile.PLATFORM, Duration.ofSeconds(30));
        assertEquals(0, run.exit().orElseThrow().code());
        assertEquals(List.of("working on it", "{\"echo\": {\"a\":1}}"), run.stdout());
        assertEquals(List.of("stdin: {\"a\":1}"), run.stderr());
    }

    @Test
    void exitCodeIsReported() {
        Run run = run(TestAgents.FAIL, "{}", IsolationProfile.PLATFORM, Duration.ofSeconds(30));
        assertEquals(3, run.exit().orElseThrow().code());
        assertEquals(List.of("cannot do this: bad input"), run.stderr());
    }

    @Test
    void containerRunsAsNobodyWithoutNetworkOnAReadOnlyRoot() {
        Run run = run(TestAgents.PROBE, "{}", IsolationProfile.PLATFORM, Duration.ofSeconds(30));
        assertEquals(0, run.exit().orElseThrow().code());
        assertEquals(List.of("{\"uid\": 65534, \"rootWritable\": false, \"tmpWritable\": true, \"interfaces\": \"lo \"}"),
                run.stdout());
    }

    @Test
    void memoryHogIsOomKilled() {
        IsolationProfile small = new IsolationProfile(64L << 20, 500_000_000L, 64, 16L << 20, Duration.ofMinutes(1));
        Run run = run(TestAgents.MEMORY_HOG, "{}", small, Duration.ofSeconds(60));
        ContainerRuntime.Exit exit = run.exit().orElseThrow();
        assertTrue(exit.oomKilled(), "OOMKilled");
        assertEquals(137, exit.code());
    }

    @Test
    void awaitGivesUpAfterTheTimeoutAndStopEndsTheContainer() {
        String id = runtime.create(new ContainerRuntime.ContainerSpec(TestAgents.SLOW, Map.of(), Map.of(),
                IsolationProfile.PLATFORM));
        try {
            runtime.start(id, new byte[0], 1 << 20, (stream, text, at) -> { });
            Instant before = Instant.now();
            assertTrue(runtime.await(id, Duration.ofMillis(500)).isEmpty());
            assertTrue(Duration.between(before, Instant.now()).toMillis() < 5_000);
            runtime.stop(id, Duration.ofSeconds(1));
            assertTrue(runtime.await(id, Duration.ofSeconds(10)).isPresent());
        } finally {
            runtime.remove(id);
        }
    }

    @Test
    void containersAreFoundByLabelAndRemoved() {
        String marker = UUID.randomUUID().toString();
        String id = runtime.create(new ContainerRuntime.ContainerSpec(TestAgents.ECHO, Map.of("INPUT", "{}"),
                Map.of("agentnexus.test", marker), IsolationProfile.PLATFORM));
        assertEquals(List.of(id), runtime.listByLabel("agentnexus.test", marker).stream()
                .map(ContainerRuntime.Container::id).toList());
        runtime.remove(id);
        runtime.remove(id); // twice is fine
        assertFalse(runtime.listByLabel("agentnexus.test", marker).stream().anyMatch(c -> c.id().equals(id)));
    }

    @Test
    void volumeDeclaredByTheImageIsASizeCappedTmpfsNotHostStorage() {
        String id = runtime.create(new ContainerRuntime.ContainerSpec(TestAgents.VOLUME_WRITER, Map.of(),
                Map.of("agentnexus.test", UUID.randomUUID().toString()), IsolationProfile.PLATFORM));
        try {
            assertEquals("[]", TestAgents.docker("inspect", "-f", "{{json .Mounts}}", id), "no volume, anonymous or named");
            assertTrue(TestAgents.docker("inspect", "-f", "{{json .HostConfig.Tmpfs}}", id)
                    .contains("\"/data\":\"rw,noexec,nosuid,size=67108864,uid=65534,gid=65534\""));
        } finally {
            runtime.remove(id);
        }
        Run run = run(TestAgents.VOLUME_WRITER, "{}", IsolationProfile.PLATFORM, Duration.ofSeconds(60));
        assertEquals(List.of("{\"dataFs\": \"tmpfs\", \"wrote100MiB\": false}"), run.stdout());
    }

    @Test
    void aLineLongerThanTheCapReachesTheSinkCutAndMarked() throws InterruptedException {
        List<String> stdout = new CopyOnWriteArrayList<>();
        List<String> cut = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        String id = runtime.create(new ContainerRuntime.ContainerSpec(TestAgents.HUGE_OUTPUT, Map.of(),
                Map.of("agentnexus.test", UUID.randomUUID().toString()), IsolationProfile.PLATFORM));
        try {
            runtime.start(id, new byte[0], 1000, new ContainerRuntime.LogSink() {
                @Override
                public void line(ContainerRuntime.Stream stream, String text, Instant at) {
                    stdout.add(text);
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
            assertEquals(0, runtime.await(id, Duration.ofSeconds(30)).orElseThrow().code());
            assertTrue(closed.await(30, java.util.concurrent.TimeUnit.SECONDS), "output ended");
        } finally {
            runtime.remove(id);
        }
        assertTrue(stdout.isEmpty(), stdout.toString());
        assertEquals(1, cut.size());
        assertEquals("{\"blob\": \"" + "a".repeat(1000 - 10), cut.getFirst());
    }

    @Test
    void localImagesAreUsedAndTheirIdRecorded() {
        assertTrue(runtime.ensureImage(TestAgents.ECHO).startsWith("sha256:"));
    }
}
