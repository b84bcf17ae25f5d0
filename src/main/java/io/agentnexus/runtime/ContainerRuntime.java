package io.agentnexus.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the service asks of a container engine: the Docker Engine API (docker-java) on one machine,
 * or Kubernetes Jobs (fabric8) in a cluster, chosen by {@code agentnexus.runtime}; no other package imports
 * either client. An unreachable engine or API server is a
 * {@link io.agentnexus.platform.error.DependencyUnavailableException}.
 */
public interface ContainerRuntime {

    /** Whether the engine answers (a health detail, and workers claim nothing while it does not). */
    boolean reachable();

    /** The image's id (sha256 digest of its config), pulling the image first if it is not present. */
    String ensureImage(String image);

    /** Builds an image from a folder holding a Dockerfile (test agents and demo images, built locally). */
    String buildImage(Path context, String tag);

    /**
     * Creates, does not start, a container under the isolation profile. Volumes the image declares get a
     * size-capped tmpfs each, never storage on the host's disk.
     */
    String create(ContainerSpec spec);

    /**
     * Starts the container with {@code stdin} on its standard input; every line it writes goes to the
     * sink as it comes, in order per stream. A line longer than {@code maxLineBytes} is cut: only its
     * first {@code maxLineBytes} are ever held, and they go to {@link LogSink#cutLine}.
     */
    void start(String containerId, byte[] stdin, int maxLineBytes, LogSink sink);

    /**
     * Completes when the started container exits, without polling from the caller: the engine's blocking wait
     * (Docker), or a watch kept inside the runtime (Kubernetes). Completes exceptionally when the engine cannot
     * be asked (ask again then); a container removed meanwhile has exited.
     */
    CompletableFuture<Exit> exited(String containerId);

    /** SIGTERM, then SIGKILL after the grace period. */
    void stop(String containerId, Duration grace);

    /** Removes the container, running or not; a container already gone is fine. */
    void remove(String containerId);

    /** Containers (running or not) carrying the label with this value (any value when null); their labels. */
    List<Container> listByLabel(String label, String value);

    /** What a container was asked to be; {@code image} is best an image id, so that what runs is pinned. */
    record ContainerSpec(String image, Map<String, String> env, Map<String, String> labels, IsolationProfile limits) {
    }

    record Exit(int code, boolean oomKilled) {
    }

    record Container(String id, Map<String, String> labels, boolean running) {
    }

    /** Appended to what is kept of a line that was cut. */
    String CUT_MARKER = "…[line cut]";

    enum Stream {
        STDOUT, STDERR
    }

    /** Receives a container's output line by line. */
    interface LogSink {
        void line(Stream stream, String text, Instant at);

        /** A line longer than the cap: {@code prefix} is what was kept of it, the rest was dropped. */
        default void cutLine(Stream stream, String prefix, Instant at) {
            line(stream, prefix + CUT_MARKER, at);
        }

        /** The output ended (the container exited or the connection closed). */
        default void closed() {
        }
    }
}
