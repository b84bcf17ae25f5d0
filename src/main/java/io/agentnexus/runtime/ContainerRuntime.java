package io.agentnexus.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the service asks of a container engine. The only implementation talks to the Docker
 * Engine API through docker-java; no other package imports docker-java. An unreachable engine is a
 * {@link io.agentnexus.platform.error.DependencyUnavailableException}.
 */
public interface ContainerRuntime {

    /** Whether the engine answers; for readiness. */
    boolean reachable();

    /** The image's id (sha256 digest of its config), pulling the image first if it is not present. */
    String ensureImage(String image);

    /** Builds an image from a folder holding a Dockerfile (test agents and demo images, built locally). */
    String buildImage(Path context, String tag);

    /** Creates, does not start, a container under the isolation profile. */
    String create(ContainerSpec spec);

    /**
     * Starts the container with {@code stdin} on its standard input; every line it writes goes to the
     * sink as it comes, in order per stream.
     */
    void start(String containerId, byte[] stdin, LogSink sink);

    /** Waits for the container to exit; empty if it is still running after {@code timeout}. */
    Optional<Exit> await(String containerId, Duration timeout);

    /** SIGTERM, then SIGKILL after the grace period. */
    void stop(String containerId, Duration grace);

    /** Removes the container, running or not; a container already gone is fine. */
    void remove(String containerId);

    /** Containers (running or not) carrying the label with this value (any value when null); their labels. */
    List<Container> listByLabel(String label, String value);

    /** What a container was asked to be. */
    record ContainerSpec(String image, Map<String, String> env, Map<String, String> labels, IsolationProfile limits) {
    }

    record Exit(int code, boolean oomKilled) {
    }

    record Container(String id, Map<String, String> labels, boolean running) {
    }

    enum Stream {
        STDOUT, STDERR
    }

    /** Receives a container's output line by line. */
    interface LogSink {
        void line(Stream stream, String text, Instant at);

        /** The output ended (the container exited or the connection closed). */
        default void closed() {
        }
    }
}
