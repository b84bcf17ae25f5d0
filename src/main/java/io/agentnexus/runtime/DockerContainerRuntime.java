package io.agentnexus.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.agentnexus.platform.error.DependencyUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The container runtime on the Docker Engine API (DOCKER_HOST honoured; the API version is left to
 * negotiation). Creation and image calls retry and sit behind a circuit breaker; an unreachable
 * engine is a {@link DependencyUnavailableException}.
 */
@ApplicationScoped
@Typed(DockerContainerRuntime.class) // injected as ContainerRuntime only through ContainerRuntimes
public class DockerContainerRuntime implements ContainerRuntime {

    private final DockerClient docker;
    private final Clock clock;
    private final Optional<AuthConfig> registryAuth;
    private final Map<String, List<String>> volumesByImageId = new java.util.concurrent.ConcurrentHashMap<>();

    DockerContainerRuntime(Clock clock,
            @ConfigProperty(name = "agentnexus.docker.host") Optional<String> dockerHost,
            @ConfigProperty(name = "agentnexus.docker.registry.address") Optional<String> registry,
            @ConfigProperty(name = "agentnexus.docker.registry.username") Optional<String> username,
            @ConfigProperty(name = "agentnexus.docker.registry.password") Optional<String> password) {
        this.registryAuth = username.map(user -> new AuthConfig().withUsername(user)
                .withPassword(password.orElse(null)).withRegistryAddress(registry.orElse(null)));
        var builder = DefaultDockerClientConfig.createDefaultConfigBuilder(); // DOCKER_HOST and friends
        dockerHost.ifPresent(builder::withDockerHost);
        DockerClientConfig config = builder.build();
        this.docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofMinutes(10)) // waits and log streams last as long as a run
                .build());
        this.clock = clock;
    }

    @PreDestroy
    void close() throws IOException {
        docker.close();
    }

    @Override
    public boolean reachable() {
        try {
            docker.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
            failOn = DependencyUnavailableException.class)
    public String ensureImage(String image) {
        return engine(() -> {
            try {
                return docker.inspectImageCmd(image).exec().getId();
            } catch (NotFoundException absent) {
                try {
                    var pull = docker.pullImageCmd(image);
                    registryAuth.ifPresent(pull::withAuthConfig);
                    pull.start().awaitCompletion(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return docker.inspectImageCmd(image).exec().getId();
            }
        });
    }

    @Override
    public String buildImage(Path context, String tag) {
        return engine(() -> docker.buildImageCmd(context.toFile()).withTags(Set.of(tag)).withPull(false)
                .start().awaitImageId());
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
            failOn = DependencyUnavailableException.class)
    public String create(ContainerSpec spec) {
        IsolationProfile limits = spec.limits();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withReadonlyRootfs(true)
                .withTmpFs(tmpfsMounts(spec.image(), limits))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withPidsLimit(limits.pidsLimit())
                .withMemory(limits.memoryBytes())
                .withMemorySwap(limits.memoryBytes()) // equal to memory: no swap
                .withNanoCPUs(limits.nanoCpus());
        return engine(() -> docker.createContainerCmd(spec.image())
                .withUser(IsolationProfile.USER)
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withLabels(spec.labels())
                .withNetworkDisabled(true)
                .withAttachStdin(true).withStdinOpen(true).withStdInOnce(true)
                .withAttachStdout(true).withAttachStderr(true)
                .withHostConfig(host)
                .exec().getId());
    }

    /**
     * /tmp and every volume the image declares as a size-capped tmpfs: the engine would otherwise give
     * each declared volume a writable anonymous volume on the host's disk, read-only root or not (it
     * creates none where a tmpfs already covers the path).
     */
    private Map<String, String> tmpfsMounts(String image, IsolationProfile limits) {
        String options = "rw,noexec,nosuid,size=" + limits.tmpfsBytes() + ",uid=65534,gid=65534";
        Map<String, String> mounts = new TreeMap<>();
        mounts.put("/tmp", options);
        for (String path : declaredVolumes(image)) {
            mounts.put(path, options);
        }
        return mounts;
    }

    /**
     * The volumes an image declares, cleaned (the engine compares the cleaned path: "/data/" must cover "/data").
     * Kept per image id, which names its content: one inspect fewer per run. A tag is asked each time.
     */
    private List<String> declaredVolumes(String image) {
        List<String> known = image.startsWith("sha256:") ? volumesByImageId.get(image) : null;
        if (known != null) {
            return known;
        }
        ContainerConfig config = engine(() -> docker.inspectImageCmd(image).exec().getConfig());
        List<String> volumes = config == null || config.getVolumes() == null ? List.of()
                : config.getVolumes().keySet().stream().map(path -> Path.of(path).normalize().toString()).toList();
        if (image.startsWith("sha256:")) {
            if (volumesByImageId.size() >= 1_000) {
                volumesByImageId.clear(); // a bound, not a policy: agents' images are far fewer
            }
            volumesByImageId.put(image, volumes);
        }
        return volumes;
    }

    @Override
    public void start(String containerId, byte[] stdin, int maxLineBytes, LogSink sink) {
        engine(() -> {
            var attached = docker.attachContainerCmd(containerId)
                    .withStdIn(new ByteArrayInputStream(stdin))
                    .withStdOut(true).withStdErr(true).withFollowStream(true).withLogs(true)
                    .exec(new Frames(new LineSplitter(sink, clock, maxLineBytes)));
            try {
                attached.awaitStarted(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            docker.startContainerCmd(containerId).exec();
            return null;
        });
    }

    /** The Engine API's blocking wait, held open on the client's stream thread until the container exits. */
    @Override
    public CompletableFuture<Exit> exited(String containerId) {
        CompletableFuture<Exit> exit = new CompletableFuture<>();
        try {
            docker.waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
                @Override
                public void onNext(WaitResponse status) {
                    if (Integer.valueOf(0).equals(status.getStatusCode()) && !exit.isDone()) {
                        exit.complete(new Exit(0, false)); // a clean exit: not killed, so not by the OOM killer
                    }
                    exited(); // before the stream is closed: closing it fails the call that carried it
                }

                @Override
                public void onComplete() {
                    exited();
                    super.onComplete();
                }

                private void exited() {
                    if (!exit.isDone()) {
                        try {
                            exit.complete(engine(() -> exitOf(containerId)));
                        } catch (RuntimeException e) {
                            exit.completeExceptionally(e);
                        }
                    }
                }

                @Override
                public void onError(Throwable error) {
                    if (error instanceof NotFoundException) {
                        exit.complete(REMOVED);
                    } else if (!exit.isDone()) {
                        exit.completeExceptionally(error instanceof java.util.concurrent.CancellationException
                                ? new IllegalStateException("the engine's wait was cut short", error) : unavailable(error));
                    }
                    super.onError(error);
                }
            });
        } catch (RuntimeException e) {
            exit.completeExceptionally(unavailable(e));
        }
        return exit;
    }

    /** How a container that is not running ended; one removed meanwhile was stopped (SIGKILL's 137). */
    private Exit exitOf(String containerId) {
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
            return new Exit(state.getExitCodeLong() == null ? -1 : state.getExitCodeLong().intValue(),
                    Boolean.TRUE.equals(state.getOOMKilled()));
        } catch (NotFoundException gone) {
            return REMOVED;
        }
    }

    private static final Exit REMOVED = new Exit(137, false);

    @Override
    public void stop(String containerId, Duration grace) {
        engine(() -> {
            try {
                docker.stopContainerCmd(containerId).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
            } catch (NotFoundException | NotModifiedException alreadyStopped) {
                // nothing to stop
            }
            return null;
        });
    }

    @Override
    public void remove(String containerId) {
        engine(() -> {
            try {
                docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                // already removed
            }
            return null;
        });
    }

    @Override
    public List<Container> listByLabel(String label, String value) {
        var list = docker.listContainersCmd().withShowAll(true);
        var filtered = value == null ? list.withLabelFilter(List.of(label)) : list.withLabelFilter(Map.of(label, value));
        return engine(() -> filtered.exec().stream()
                .map(c -> new Container(c.getId(), c.getLabels(), "running".equals(c.getState()))).toList());
    }

    /** The engine's multiplexed frames, cut into lines. */
    static final class Frames extends ResultCallback.Adapter<Frame> {
        private final LineSplitter lines;

        Frames(LineSplitter lines) {
            this.lines = lines;
        }

        @Override
        public void onNext(Frame frame) {
            lines.accept(frame.getStreamType() == StreamType.STDERR ? Stream.STDERR : Stream.STDOUT,
                    frame.getPayload(), 0, frame.getPayload().length);
        }

        @Override
        public void onComplete() {
            lines.end();
            super.onComplete();
        }

        @Override
        public void onError(Throwable throwable) {
            onComplete();
        }
    }

    /** Runs an engine call; a connection failure means the engine is unreachable (503), not a bug. */
    private static <T> T engine(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static RuntimeException unavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException && !(cause instanceof UncheckedIOException)) {
                return new DependencyUnavailableException("the Docker engine cannot be reached", error);
            }
        }
        return error instanceof RuntimeException e ? e : new IllegalStateException(error);
    }
}
