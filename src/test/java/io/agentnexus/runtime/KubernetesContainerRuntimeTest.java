package io.agentnexus.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.StrictManifests;
import io.agentnexus.support.TestAgents;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container runtime contract on Kubernetes Jobs, against the fabric8 mock API server in CRUD mode with
 * the test playing the Job controller and the kubelet ({@link FakeKubelet}): each test image's agent is
 * scripted to print what the real image prints, so the contract's scenarios are the Docker ones. Every Job
 * the runtime submits also passes the strict manifest check.
 */
class KubernetesContainerRuntimeTest extends ContainerRuntimeContract {

    static final String NAMESPACE = "agentnexus-runs";

    record Config(String namespace, Duration ttlAfterFinished, Optional<List<String>> imagePullSecrets,
            Duration podStartTimeout) implements KubernetesRuntimeConfig {
    }

    static final Config CONFIG = new Config(NAMESPACE, Duration.ofMinutes(10), Optional.of(List.of("registry")),
            Duration.ofSeconds(30));

    /** The agents of {@link TestAgents}, as the fake kubelet runs them. */
    static final Map<String, FakeKubelet.Agent> AGENTS = Map.of(
            TestAgents.ECHO, new FakeKubelet.Agent() {
                @Override
                public boolean readsStdin() {
                    return true;
                }

                @Override
                public FakeKubelet.Outcome run(Map<String, String> env, String stdin, long memory) {
                    return new FakeKubelet.Outcome("stdin: " + stdin.lines().findFirst().orElse("") + "\nworking on it\n"
                            + "{\"echo\": " + env.get("INPUT") + "}\n", 0, false);
                }
            },
            TestAgents.INPUT_SIZES, new FakeKubelet.Agent() {
                @Override
                public boolean readsStdin() {
                    return true;
                }

                @Override
                public FakeKubelet.Outcome run(Map<String, String> env, String stdin, long memory) {
                    return new FakeKubelet.Outcome("{\"stdinBytes\": " + stdin.lines().findFirst().orElse("").length()
                            + ", \"envBytes\": " + env.getOrDefault("INPUT", "").length() + ", \"inputOnStdin\": \""
                            + env.getOrDefault("INPUT_ON_STDIN", "") + "\"}\n", 0, false);
                }
            },
            TestAgents.FAIL, (env, stdin, memory) -> new FakeKubelet.Outcome("cannot do this: bad input\n", 3, false),
            TestAgents.SLOW, (env, stdin, memory) -> new FakeKubelet.Outcome("started\n", null, false),
            TestAgents.MEMORY_HOG, (env, stdin, memory) -> memory < 800_000_000
                    ? new FakeKubelet.Outcome("", 137, true) : new FakeKubelet.Outcome("{\"survived\": true}\n", 0, false),
            TestAgents.HUGE_OUTPUT, (env, stdin, memory) -> new FakeKubelet.Outcome(
                    "{\"blob\": \"" + "a".repeat(1_100_000) + "\"}\n", 0, false));

    private static KubernetesMockServer server;
    private static FakeKubelet kubelet;
    private static KubernetesClient client;
    private static KubernetesContainerRuntime kubernetes;

    @BeforeAll
    static void cluster() {
        var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
                java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
        kubelet = new FakeKubelet(responses, AGENTS);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, kubelet, false);
        server.init();
        client = server.createClient();
        kubelet.start(server.createClient(), NAMESPACE);
        kubernetes = new KubernetesContainerRuntime(client, CONFIG, Clock.systemUTC());
    }

    @AfterAll
    static void shutdown() {
        kubelet.stop();
        client.close();
        server.destroy();
    }

    @AfterEach
    void everyJobSubmittedPassesTheStrictManifestCheck() {
        kubelet.seenJobs().forEach(StrictManifests::check);
    }

    @Override
    protected ContainerRuntime runtime() {
        return kubernetes;
    }

    @Override
    protected ContainerRuntime unreachableRuntime() {
        KubernetesClient down = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build();
        return new KubernetesContainerRuntime(down, CONFIG, Clock.systemUTC());
    }

    @Test
    void theJobIsCreatedSuspendedWithTheIsolationProfileAsItsPodSpec() {
        IsolationProfile limits = new IsolationProfile(256L << 20, 250_000_000L, 64, 16L << 20, Duration.ofSeconds(90));
        String id = kubernetes.create(new ContainerRuntime.ContainerSpec(TestAgents.ECHO, Map.of("INPUT", "{}"),
                Map.of(TEST_LABEL, UUID.randomUUID().toString()), limits));
        try {
            Job job = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(id).get();
            StrictManifests.check(job);
            assertEquals(true, job.getSpec().getSuspend(), "nothing runs before start()");
            assertEquals(0, job.getSpec().getBackoffLimit());
            assertEquals(90 + 30, job.getSpec().getActiveDeadlineSeconds(), "the run's timeout, the runner's first");
            assertEquals(600, job.getSpec().getTtlSecondsAfterFinished());
            assertEquals("agent-run", job.getMetadata().getLabels().get("app.kubernetes.io/component"));
            assertEquals("agentnexus", job.getMetadata().getLabels().get("app.kubernetes.io/part-of"));
            assertEquals("agent-run", job.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/component"));
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            assertEquals("Never", pod.getRestartPolicy());
            assertEquals(false, pod.getAutomountServiceAccountToken());
            assertEquals(false, pod.getEnableServiceLinks());
            assertEquals("registry", pod.getImagePullSecrets().getFirst().getName());
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
            var container = pod.getContainers().getFirst();
            var security = container.getSecurityContext();
            assertEquals(65534L, security.getRunAsUser());
            assertEquals(65534L, security.getRunAsGroup());
            assertEquals(true, security.getRunAsNonRoot());
            assertEquals(true, security.getReadOnlyRootFilesystem());
            assertEquals(false, security.getAllowPrivilegeEscalation());
            assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
            assertEquals("RuntimeDefault", security.getSeccompProfile().getType());
            assertEquals(true, container.getStdin());
            assertEquals(true, container.getStdinOnce());
            Map<String, Quantity> expected = Map.of("memory", new Quantity("268435456"), "cpu", new Quantity("250m"));
            assertEquals(expected, container.getResources().getLimits());
            assertEquals(expected, container.getResources().getRequests());
            assertEquals("/tmp", container.getVolumeMounts().getFirst().getMountPath());
            var tmp = pod.getVolumes().getFirst();
            assertEquals(container.getVolumeMounts().getFirst().getName(), tmp.getName());
            assertEquals("Memory", tmp.getEmptyDir().getMedium());
            assertEquals(16L << 20, tmp.getEmptyDir().getSizeLimit().getNumericalAmount().longValue());
            assertTrue(client.pods().inNamespace(NAMESPACE).withLabel(AgentJob.JOB_NAME_LABEL, id).list().getItems()
                    .isEmpty(), "no pod for a suspended Job");
        } finally {
            kubernetes.remove(id);
        }
    }

    @Test
    void aCreateRetriedAfterItReachedTheServerFindsItsOwnJob() {
        var spec = new ContainerRuntime.ContainerSpec(TestAgents.ECHO, Map.of(), Map.of(TEST_LABEL,
                UUID.randomUUID().toString()), IsolationProfile.PLATFORM);
        String id = kubernetes.create(spec);
        try {
            assertEquals(id, kubernetes.create(spec));
        } finally {
            kubernetes.remove(id);
        }
    }

    @Test
    void labelValuesKubernetesWouldRefuseAreShortenedAndKeptWholeAsAnnotations() {
        String instance = "agentnexus-api-7d9f8c6b5-x2x4z-" + UUID.randomUUID();
        Map<String, String> labels = AgentJob.labels(Map.of("agentnexus.instance", instance, TEST_LABEL, "ok"));
        String shortened = labels.get("agentnexus.instance");
        assertTrue(shortened.length() <= 63 && shortened.matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?"), shortened);
        assertEquals(shortened, AgentJob.labelValue(instance), "the same value, the same label");
        assertTrue(!shortened.equals(AgentJob.labelValue(instance + "x")), "distinct values, distinct labels");
        assertEquals("ok", labels.get(TEST_LABEL));
        assertEquals(Map.of("agentnexus.instance", instance), AgentJob.fullValues(Map.of("agentnexus.instance", instance,
                TEST_LABEL, "ok")));
        assertNull(AgentJob.fullValues(Map.of(TEST_LABEL, "ok")).get(TEST_LABEL));
    }

    @Test
    void imagesAreNotBuiltAndTheirReferenceIsWhatRuns() {
        assertThrows(UnsupportedOperationException.class, () -> kubernetes.buildImage(Path.of("."), "x:1"));
        assertEquals(TestAgents.ECHO, kubernetes.ensureImage(TestAgents.ECHO));
    }
}
