package io.agentnexus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.TestAgents;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container runtime contract against the machine's real Docker engine, plus what only Docker shows: the
 * isolation as the container sees it, stdout and stderr kept apart, image-declared volumes, image ids.
 */
class DockerContainerRuntimeTest extends ContainerRuntimeContract {

    private static DockerContainerRuntime docker;

    @BeforeAll
    static void engine() {
        docker = new DockerContainerRuntime(Clock.systemUTC(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        TestAgents.build(docker);
    }

    @AfterAll
    static void close() throws java.io.IOException {
        docker.close();
    }

    @Override
    protected ContainerRuntime runtime() {
        return docker;
    }

    @Override
    protected ContainerRuntime unreachableRuntime() {
        return new DockerContainerRuntime(Clock.systemUTC(), Optional.of("tcp://127.0.0.1:1"), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void stdoutAndStderrAreKeptApart() {
        Run run = run(TestAgents.ECHO, "{\"a\":1}");
        assertEquals(List.of("working on it", "{\"echo\": {\"a\":1}}"), run.stdout());
        assertEquals(List.of("stdin: {\"a\":1}"), run.output().stream().filter(line -> !run.stdout().contains(line)).toList());
    }

    @Test
    void containerRunsAsNobodyWithoutNetworkOnAReadOnlyRoot() {
        Run run = run(TestAgents.PROBE, "{}");
        assertEquals(0, run.exit().orElseThrow().code());
        assertEquals(List.of("{\"uid\": 65534, \"rootWritable\": false, \"tmpWritable\": true, \"interfaces\": \"lo \"}"),
                run.stdout());
    }

    @Test
    void volumeDeclaredByTheImageIsASizeCappedTmpfsNotHostStorage() {
        String id = docker.create(new ContainerRuntime.ContainerSpec(TestAgents.VOLUME_WRITER, Map.of(),
                Map.of(TEST_LABEL, UUID.randomUUID().toString()), IsolationProfile.PLATFORM));
        try {
            assertEquals("[]", TestAgents.docker("inspect", "-f", "{{json .Mounts}}", id), "no volume, anonymous or named");
            assertTrue(TestAgents.docker("inspect", "-f", "{{json .HostConfig.Tmpfs}}", id)
                    .contains("\"/data\":\"rw,noexec,nosuid,size=67108864,uid=65534,gid=65534\""));
        } finally {
            docker.remove(id);
        }
        Run run = run(TestAgents.VOLUME_WRITER, "{}");
        assertEquals(List.of("{\"dataFs\": \"tmpfs\", \"wrote100MiB\": false}"), run.stdout());
    }

    @Test
    void localImagesAreUsedAndTheirIdRecorded() {
        assertTrue(docker.ensureImage(TestAgents.ECHO).startsWith("sha256:"));
    }
}
