package io.agentnexus.runtime;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a cluster the fabric8 mock server (CRUD mode) does not have, played by the test: the Job
 * controller (an unsuspended Job gets its pod; the Job's status follows the pod's; a deleted Job's pod
 * goes) and the kubelet (the pod runs the scripted agent of its image: stdin from the attach, the log it
 * serves, its container's terminated state). Every Job it sees is recorded for the test to inspect.
 */
final class FakeKubelet extends Dispatcher {

    /** What the agent of one image does, given its environment, its stdin and its memory limit. */
    interface Agent {
        default boolean readsStdin() {
            return false;
        }

        Outcome run(Map<String, String> env, String stdin, long memoryBytes);
    }

    /** The agent's whole log; {@code exitCode} null while it runs until stopped. */
    record Outcome(String log, Integer exitCode, boolean oomKilled) {
    }

    private static final Pattern POD_CALL = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/(attach|log)(\\?.*)?");

    private final KubernetesMixedDispatcher crud;
    private final Map<String, Agent> agents;
    private final Map<String, CompletableFuture<String>> stdins = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<String>> logs = new ConcurrentHashMap<>();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final List<Job> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService work = Executors.newCachedThreadPool();
    private KubernetesClient client;
    private Watch watch;

    FakeKubelet(Map<ServerRequest, Queue<ServerResponse>> responses, Map<String, Agent> agents) {
        this.crud = new KubernetesMixedDispatcher(responses);
        this.agents = agents;
    }

    /** Starts playing the controller for Jobs in {@code namespace}. */
    void start(KubernetesClient client, String namespace) {
        this.client = client;
        this.watch = client.batch().v1().jobs().inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action != Action.DELETED) {
                    seen.add(job);
                }
                if (action == Action.DELETED) {
                    work.submit(() -> deleted(job));
                } else if (!Boolean.TRUE.equals(job.getSpec().getSuspend())
                        && started.add(job.getMetadata().getName())) {
                    work.submit(() -> runPod(job));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    void stop() {
        watch.close();
        work.shutdownNow();
    }

    /** Every version of every Job the runtime created or changed, as the API server stored it. */
    List<Job> seenJobs() {
        return seen;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Matcher call = POD_CALL.matcher(request.getPath());
        if (!call.matches()) {
            return crud.dispatch(request);
        }
        String pod = call.group(2);
        if (call.group(3).equals("attach")) {
            return new MockResponse().withWebSocketUpgrade(new StdinListener(stdin(pod)));
        }
        // The runtime follows the log once its attach ended; the agent may still be printing (a busy machine):
        // like a kubelet's follow, the answer waits for the log, which the agent's thread completes.
        String log = log(pod).completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
        return log == null ? new MockResponse().setResponseCode(500).setBody("log of " + pod + " never came")
                : new MockResponse().setResponseCode(200).setBody(log);
    }

    private CompletableFuture<String> log(String pod) {
        return logs.computeIfAbsent(pod, p -> new CompletableFuture<>());
    }

    private CompletableFuture<String> stdin(String pod) {
        return stdins.computeIfAbsent(pod, p -> new CompletableFuture<>());
    }

    /** The v4.channel.k8s.io protocol: binary messages whose first byte is the channel, 0 for stdin. */
    private static final class StdinListener extends WebSocketListener {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final CompletableFuture<String> stdin;

        StdinListener(CompletableFuture<String> stdin) {
            this.stdin = stdin;
        }

        @Override
        public void onMessage(WebSocket socket, ByteString bytes) {
            onMessage(socket, bytes.toByteArray());
        }

        @Override
        public synchronized void onMessage(WebSocket socket, byte[] bytes) {
            if (bytes.length > 0 && bytes[0] == 0) {
                received.write(bytes, 1, bytes.length - 1);
            }
        }

        @Override
        public synchronized void onClosing(WebSocket socket, int code, String reason) {
            stdin.complete(received.toString(StandardCharsets.UTF_8)); // stdinOnce: the attach's end is EOF
        }

        @Override
        public void onClosed(WebSocket socket, int code, String reason) {
            onClosing(socket, code, reason);
        }
    }

    private void runPod(Job job) {
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName() + "-x7k2p";
        Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(AgentJob.JOB_NAME_LABEL, job.getMetadata().getName());
        var container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).build()).create();
        setState(pod, "Running", new ContainerStateBuilder().withNewRunning().endRunning().build());
        Agent agent = agents.get(container.getImage());
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue());
        }
        String stdin = agent.readsStdin() ? stdin(name).orTimeout(30, TimeUnit.SECONDS).join() : "";
        Outcome outcome = agent.run(env, stdin,
                container.getResources().getLimits().get("memory").getNumericalAmount().longValue());
        log(name).complete(outcome.log());
        if (outcome.exitCode() != null) {
            terminate(name, namespace, outcome.exitCode(), outcome.oomKilled() ? "OOMKilled"
                    : outcome.exitCode() == 0 ? "Completed" : "Error");
            client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).editStatus(j -> {
                j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
                        .withSucceeded(outcome.exitCode() == 0 ? 1 : 0).withFailed(outcome.exitCode() == 0 ? 0 : 1)
                        .withConditions(new JobConditionBuilder().withType(outcome.exitCode() == 0 ? "Complete" : "Failed")
                                .withStatus("True").build()).build());
                return j;
            });
        }
    }

    /** A deleted Job's pod is killed and goes (the garbage collector's part). */
    private void deleted(Job job) {
        String namespace = job.getMetadata().getNamespace();
        client.pods().inNamespace(namespace).withLabel(AgentJob.JOB_NAME_LABEL, job.getMetadata().getName()).list()
                .getItems().forEach(pod -> {
                    terminate(pod.getMetadata().getName(), namespace, 143, "Error");
                    client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
                });
    }

    private void terminate(String pod, String namespace, int exitCode, String reason) {
        Pod current = client.pods().inNamespace(namespace).withName(pod).get();
        setState(current, exitCode == 0 ? "Succeeded" : "Failed", new ContainerStateBuilder().withNewTerminated()
                .withExitCode(exitCode).withReason(reason).endTerminated().build());
    }

    private void setState(Pod pod, String phase, io.fabric8.kubernetes.api.model.ContainerState state) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase)
                    .withContainerStatuses(new ContainerStatusBuilder().withName(AgentJob.CONTAINER)
                            .withImage(pod.getSpec().getContainers().getFirst().getImage()).withState(state).build())
                    .build());
            return p;
        });
    }
}
