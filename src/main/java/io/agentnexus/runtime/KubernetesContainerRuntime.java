package io.agentnexus.runtime;

import io.agentnexus.platform.error.DependencyUnavailableException;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * The container runtime on Kubernetes: one Job per run attempt in the runs namespace (see {@link AgentJob}),
 * its id the Job's name. The Job is created suspended and unsuspended by {@link #start}; the input goes to
 * the container's stdin through one attach (whose end closes stdin, as {@code stdinOnce} says); the output
 * is the pod's log. The log API merges stdout and stderr, so on Kubernetes every line arrives as
 * {@link Stream#STDOUT} in the order written: the agent contract (the result is the last line) holds for
 * agents that print their result last. An unreachable API server is a {@link DependencyUnavailableException}.
 */
@ApplicationScoped
@Typed(KubernetesContainerRuntime.class) // injected as ContainerRuntime only through ContainerRuntimes
public class KubernetesContainerRuntime implements ContainerRuntime {

    private static final Logger LOG = Logger.getLogger(KubernetesContainerRuntime.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Pod states that will not start by waiting (checked while waiting for the pod to run). */
    private static final Set<String> CANNOT_START = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CreateContainerConfigError", "CreateContainerError");

    private final KubernetesClient client;
    private final KubernetesRuntimeConfig config;
    private final Clock clock;

    KubernetesContainerRuntime(KubernetesClient client, KubernetesRuntimeConfig config, Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public boolean reachable() {
        try {
            client.batch().v1().jobs().inNamespace(config.namespace())
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The reference as given: without a registry client the digest cannot be resolved here; the kubelet pulls
     * the image (IfNotPresent). Agents that must be pinned name their image by digest.
     */
    @Override
    public String ensureImage(String image) {
        return image;
    }

    @Override
    public String buildImage(Path context, String tag) {
        throw new UnsupportedOperationException("the Kubernetes runtime builds no images: build agent images with"
                + " Docker and push them to a registry the cluster pulls from");
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
            failOn = DependencyUnavailableException.class)
    public String create(ContainerSpec spec) {
        String name = AgentJob.name(spec.labels());
        Job job = AgentJob.of(name, spec, config);
        return api(() -> {
            try {
                jobs().resource(job).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // A retried create whose first try reached the server: the Job is this run's already.
            }
            return name;
        });
    }

    @Override
    public void start(String jobName, byte[] stdin, int maxLineBytes, LogSink sink) {
        api(() -> jobs().withName(jobName).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}"));
        String podName = awaitPod(jobName);
        deliver(podName, stdin);
        LineSplitter lines = new LineSplitter(sink, clock, maxLineBytes);
        var log = api(() -> pod(podName).inContainer(AgentJob.CONTAINER).watchLog(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                lines.accept(Stream.STDOUT, bytes, offset, length);
            }
        }));
        log.onClose().whenComplete((failure, error) -> lines.end());
    }

    /** The Job's pod once its container runs (or already ended); fails fast on a pod that cannot start. */
    private String awaitPod(String jobName) {
        try {
            List<Pod> pods = api(() -> client.pods().inNamespace(config.namespace()).withLabel(AgentJob.JOB_NAME_LABEL, jobName)
                    .informOnCondition(list -> list.stream().anyMatch(p -> started(p) || cannotStart(p) != null)))
                    .get(config.podStartTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Pod pod = pods.stream().filter(p -> started(p) || cannotStart(p) != null).findFirst().orElseThrow();
            String reason = cannotStart(pod);
            if (reason != null && !started(pod)) {
                throw new IllegalStateException("the agent's pod cannot start: " + reason);
            }
            return pod.getMetadata().getName();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the agent's pod did not start within " + config.podStartTimeout()
                    + " (unschedulable, or its image is slow to pull)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KubernetesClientException k ? mapped(k) : new IllegalStateException(e.getCause());
        }
    }

    private static boolean started(Pod pod) {
        return agentStatus(pod).map(s -> s.getState() != null
                && (s.getState().getRunning() != null || s.getState().getTerminated() != null)).orElse(false);
    }

    private static String cannotStart(Pod pod) {
        return agentStatus(pod).map(s -> s.getState() == null || s.getState().getWaiting() == null ? null
                : s.getState().getWaiting().getReason()).filter(CANNOT_START::contains).orElse(null);
    }

    /**
     * The input on stdin: one attach writes it and ends, which closes the container's stdin (stdinOnce), so
     * agents reading to EOF finish. An agent that already exited wanted no input: nothing to deliver.
     */
    private void deliver(String podName, byte[] stdin) {
        try (ExecWatch attach = pod(podName).inContainer(AgentJob.CONTAINER).redirectingInput().attach()) {
            attach.getInput().write(stdin);
            attach.getInput().flush();
        } catch (IOException | KubernetesClientException e) {
            boolean ended = api(() -> Optional.ofNullable(pod(podName).get())).flatMap(KubernetesContainerRuntime::agentStatus)
                    .map(s -> s.getState() != null && s.getState().getTerminated() != null).orElse(false);
            if (!ended) {
                throw e instanceof KubernetesClientException k ? mapped(k)
                        : new DependencyUnavailableException("the agent's input could not be delivered", e);
            }
            LOG.debugf("pod %s ended before its input was attached: %s", podName, e.getMessage());
        }
    }

    /**
     * The API has no blocking wait for a container's exit: the pod is looked at every {@code POLL} on a virtual
     * thread of its own, inside the runtime; the caller waits on the future.
     */
    @Override
    public CompletableFuture<Exit> exited(String jobName) {
        CompletableFuture<Exit> exit = new CompletableFuture<>();
        Thread.ofVirtual().name("job-exit-" + jobName).start(() -> {
            try {
                while (!exit.isDone()) {
                    Optional<Exit> ended = api(() -> exit(jobName));
                    if (ended.isPresent()) {
                        exit.complete(ended.get());
                    } else {
                        Thread.sleep(POLL.toMillis());
                    }
                }
            } catch (InterruptedException | RuntimeException e) {
                exit.completeExceptionally(e);
            }
        });
        return exit;
    }

    /** From the container's terminated state; a run whose Job and pod are gone was stopped (SIGKILL's 137). */
    private Optional<Exit> exit(String jobName) {
        List<Pod> pods = client.pods().inNamespace(config.namespace()).withLabel(AgentJob.JOB_NAME_LABEL, jobName)
                .list().getItems();
        for (Pod pod : pods) {
            Optional<ContainerStateTerminated> terminated = agentStatus(pod)
                    .map(s -> s.getState() == null ? null : s.getState().getTerminated());
            if (terminated.isPresent()) {
                return Optional.of(new Exit(terminated.get().getExitCode() == null ? -1 : terminated.get().getExitCode(),
                        "OOMKilled".equals(terminated.get().getReason())));
            }
        }
        if (pods.isEmpty()) {
            Job job = jobs().withName(jobName).get();
            if (job == null || job.getMetadata().getDeletionTimestamp() != null || finished(job.getStatus())) {
                return Optional.of(new Exit(137, false));
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerStatus> agentStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> AgentJob.CONTAINER.equals(s.getName())).findFirst();
    }

    /** Deleting the Job ends its pod: SIGTERM, then SIGKILL after the pod's grace (at most a few seconds). */
    @Override
    public void stop(String jobName, Duration grace) {
        api(() -> jobs().withName(jobName).withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .withGracePeriod(Math.max(1, grace.toSeconds())).delete());
    }

    /** A Job already gone is fine; its pod goes with it (background garbage collection). */
    @Override
    public void remove(String jobName) {
        api(() -> jobs().withName(jobName).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }

    @Override
    public List<Container> listByLabel(String label, String value) {
        var jobs = value == null ? jobs().withLabel(label) : jobs().withLabel(label, AgentJob.labelValue(value));
        return api(() -> jobs.list().getItems().stream().map(job -> {
            Map<String, String> labels = new HashMap<>(job.getMetadata().getLabels());
            if (job.getMetadata().getAnnotations() != null) {
                job.getMetadata().getAnnotations().forEach((k, v) -> labels.computeIfPresent(k, (key, shortened) -> v));
            }
            boolean running = !Boolean.TRUE.equals(job.getSpec().getSuspend())
                    && job.getMetadata().getDeletionTimestamp() == null && !finished(job.getStatus());
            return new Container(job.getMetadata().getName(), labels, running);
        }).toList());
    }

    private static boolean finished(JobStatus status) {
        return status != null && (status.getSucceeded() != null && status.getSucceeded() > 0
                || status.getFailed() != null && status.getFailed() > 0
                || status.getConditions() != null && status.getConditions().stream().anyMatch(c ->
                        Set.of("Complete", "Failed").contains(c.getType()) && "True".equals(c.getStatus())));
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Job, io.fabric8.kubernetes.api.model.batch.v1.JobList,
            io.fabric8.kubernetes.client.dsl.ScalableResource<Job>> jobs() {
        return client.batch().v1().jobs().inNamespace(config.namespace());
    }

    private PodResource pod(String name) {
        return client.pods().inNamespace(config.namespace()).withName(name);
    }

    /**
     * Runs an API call; no answer (or the server's own unavailability) is a dependency fault (503), not a bug.
     * A call that got no answer is made once more first: a pooled connection the server closed just as it was
     * reused fails that way, and every call here is idempotent (a repeated create finds its own Job).
     */
    private static <T> T api(Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            if (!noAnswer(e)) {
                throw mapped(e);
            }
            try {
                return call.get();
            } catch (KubernetesClientException again) {
                throw mapped(again);
            }
        }
    }

    private static boolean noAnswer(KubernetesClientException e) {
        boolean noAnswer = e.getCode() <= 0;
        for (Throwable cause = e; cause != null && !noAnswer; cause = cause.getCause()) {
            noAnswer = cause instanceof IOException;
        }
        return noAnswer;
    }

    private static RuntimeException mapped(KubernetesClientException e) {
        return noAnswer(e) || e.getCode() >= 500
                ? new DependencyUnavailableException("the Kubernetes API cannot be reached", e) : e;
    }
}
