package io.agentnexus.deploy;

import static io.agentnexus.deploy.Rendered.NAMESPACE;
import static io.agentnexus.deploy.Rendered.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.StrictManifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay under k8s/overlays, rendered by the real kustomize and checked strictly, then read for what the
 * deployment promises (README "Deploy on Kubernetes"): hardened and sized pods with the three probes, an API that
 * runs nothing and workers that do, the runs namespace sealed off, autoscaling on the right signals.
 */
class DeploymentManifestsTest {

    static final List<String> OVERLAYS = List.of("dev", "prod");
    private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

    static Rendered rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Rendered.build(Kustomize.K8S.resolve("overlays").resolve(o)));
    }

    @Test
    void theOverlaysCheckedAreAllThereAre() throws IOException {
        try (Stream<Path> dirs = Files.list(Kustomize.K8S.resolve("overlays"))) {
            Set<String> buildable = dirs.filter(dir -> isKustomization(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(Set.copyOf(OVERLAYS), buildable);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRenderedObjectPassesTheStrictCheck(String overlay) {
        Set<String> kinds = rendered(overlay).objects().stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret",
                "Service", "Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler", "ScaledObject",
                "ServiceMonitor", "PodMonitor", "PrometheusRule", "NetworkPolicy")), kinds.toString());
    }

    @Test
    void aMisspeltFieldInAnOverlayFailsTheCheck(@TempDir Path copy) throws IOException {
        Map<String, String> misspellings = Map.of(
                "overlays/common/worker.yaml", "readOnlyRootFilesystem",
                "overlays/common/worker-scaler.yaml", "cooldownPeriod",
                "overlays/common/monitors.yaml", "podMetricsEndpoints");
        for (var misspelling : misspellings.entrySet()) {
            Path tree = Files.createTempDirectory(copy, "k8s");
            copyTree(Kustomize.K8S, tree);
            Path file = tree.resolve(misspelling.getKey());
            String field = misspelling.getValue();
            Files.writeString(file, Files.readString(file).replace(field + ":", field + "x:"));
            String yaml = Kustomize.build(tree.resolve("overlays/prod"));
            var error = assertThrows(AssertionError.class, () -> StrictManifests.checkYaml(yaml), field);
            assertTrue(error.getMessage().contains(field + "x"), error.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodIsHardenedSizedProbedAndSpread(String overlay) {
        List<Deployment> deployments = rendered(overlay).all(Deployment.class);
        assertEquals(2, deployments.size());
        for (Deployment deployment : deployments) {
            String where = overlay + " " + deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), where);
            assertNotEquals(0L, pod.getSecurityContext().getRunAsUser(), where);
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), where);
            assertEquals("agentnexus", pod.getServiceAccountName(), where);
            Container container = container(deployment);
            var security = container.getSecurityContext();
            assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where);
            assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where);
            assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where);
            assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty());
            assertNotNull(container.getResources().getRequests().get("cpu"), where);
            assertNotNull(container.getResources().getRequests().get("memory"), where);
            assertNotNull(container.getResources().getLimits().get("memory"), where);
            String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                    .findFirst().orElseThrow(() -> new AssertionError(where + ": no writable /tmp")).getName();
            assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(tmpVolume) && v.getEmptyDir() != null));
            assertEquals("/q/health/started", container.getStartupProbe().getHttpGet().getPath(), where);
            assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath(), where);
            assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath(), where);
            var podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertFalse(pod.getTopologySpreadConstraints().isEmpty(), where);
            pod.getTopologySpreadConstraints().forEach(spread -> assertTrue(
                    podLabels.entrySet().containsAll(spread.getLabelSelector().getMatchLabels().entrySet()), where));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theApiRunsNothingAndTheWorkersRunAgentsAsJobs(String overlay) {
        Rendered r = rendered(overlay);
        Map<String, String> api = r.environment(container(r.api()));
        Map<String, String> workers = r.environment(container(r.workers()));
        assertEquals("0", api.get("AGENTNEXUS_EXECUTIONS_WORKERS"));
        assertTrue(Integer.parseInt(workers.get("AGENTNEXUS_EXECUTIONS_WORKERS")) > 0);
        for (Map<String, String> env : List.of(api, workers)) {
            assertEquals("kubernetes", env.get("AGENTNEXUS_RUNTIME"));
            assertEquals("agentnexus-runs", env.get("AGENTNEXUS_KUBERNETES_NAMESPACE"));
        }
        assertEquals(container(r.api()).getImage(), container(r.workers()).getImage(), "one image");
        assertEquals(container(r.api()).getEnvFrom(), container(r.workers()).getEnvFrom(), "one configuration");
        assertEquals(volumes(r.api()), volumes(r.workers()));
        assertEquals(container(r.api()).getVolumeMounts().stream().map(m -> m.getMountPath()).sorted().toList(),
                container(r.workers()).getVolumeMounts().stream().map(m -> m.getMountPath()).sorted().toList());
        // the API Service reaches API pods only
        Service service = r.one(Service.class, "agentnexus");
        var selector = service.getSpec().getSelector().entrySet();
        assertTrue(r.api().getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector));
        assertFalse(r.workers().getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theApiScalesOnCpuAndTheWorkersOnTheQueue(String overlay) {
        Rendered r = rendered(overlay);
        HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, "agentnexus");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals("agentnexus", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals("cpu", hpa.getSpec().getMetrics().get(0).getResource().getName());
        assertNull(r.api().getSpec().getReplicas(), "the HPA owns the API's replica count");
        assertNull(r.workers().getSpec().getReplicas(), "KEDA owns the workers' replica count");

        var scaler = r.custom("ScaledObject", "agentnexus-worker").path("spec");
        assertEquals("agentnexus-worker", scaler.path("scaleTargetRef").path("name").asText());
        var trigger = scaler.path("triggers").get(0);
        assertEquals("prometheus", trigger.path("type").asText());
        assertTrue(trigger.path("metadata").path("query").asText().contains("agentnexus_executions_queue_depth"));
        assertTrue(trigger.path("metadata").path("query").asText().contains("job=\"agentnexus\""));
        assertTrue(trigger.path("metadata").path("serverAddress").asText().startsWith("http"));
        assertEquals(r.environment(container(r.workers())).get("AGENTNEXUS_EXECUTIONS_WORKERS"),
                trigger.path("metadata").path("threshold").asText(), "one worker pod per its worker count of runs");
    }

    @Test
    void devIsSmallerThanProd() {
        Rendered dev = rendered("dev");
        Rendered prod = rendered("prod");
        var devHpa = dev.one(HorizontalPodAutoscaler.class, "agentnexus").getSpec();
        var prodHpa = prod.one(HorizontalPodAutoscaler.class, "agentnexus").getSpec();
        assertTrue(devHpa.getMinReplicas() < prodHpa.getMinReplicas());
        assertTrue(devHpa.getMaxReplicas() < prodHpa.getMaxReplicas());
        var devScaler = dev.custom("ScaledObject", "agentnexus-worker").path("spec");
        var prodScaler = prod.custom("ScaledObject", "agentnexus-worker").path("spec");
        assertTrue(devScaler.path("minReplicaCount").asInt() < prodScaler.path("minReplicaCount").asInt());
        assertTrue(devScaler.path("maxReplicaCount").asInt() < prodScaler.path("maxReplicaCount").asInt());
        for (String resource : List.of("cpu", "memory")) {
            assertTrue(bytes(container(dev.api()).getResources().getRequests().get(resource))
                    < bytes(container(prod.api()).getResources().getRequests().get(resource)), resource);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyNamespaceAndReferenceResolves(String overlay) {
        Rendered r = rendered(overlay);
        Set<String> namespaces = r.all(Namespace.class).stream().map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
        assertEquals(Set.of(NAMESPACE, "agentnexus-runs"), namespaces);
        for (HasMetadata object : r.objects()) {
            if (!(object instanceof Namespace)) {
                assertTrue(namespaces.contains(object.getMetadata().getNamespace()),
                        object.getKind() + " " + object.getMetadata().getName() + " has no known namespace");
            }
        }
        for (Deployment deployment : r.all(Deployment.class)) {
            container(deployment).getEnvFrom().forEach(from -> {
                if (from.getConfigMapRef() != null) {
                    r.one(ConfigMap.class, from.getConfigMapRef().getName());
                } else {
                    r.one(Secret.class, from.getSecretRef().getName());
                }
            });
            deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                    .forEach(v -> r.one(Secret.class, v.getSecret().getSecretName()));
            r.one(ServiceAccount.class,
                    deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        }
        for (var budget : r.all(PodDisruptionBudget.class)) {
            var selector = budget.getSpec().getSelector().getMatchLabels().entrySet();
            assertEquals(1, r.all(Deployment.class).stream().filter(d -> d.getSpec().getTemplate().getMetadata()
                    .getLabels().entrySet().containsAll(selector)).count(), budget.getMetadata().getName());
            assertNotNull(budget.getSpec().getMaxUnavailable());
        }
    }

    private static boolean isKustomization(Path file) {
        try {
            return Files.isRegularFile(file) && Files.readString(file).contains("\nkind: Kustomization");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** base, monitoring and overlays (not node_modules) into target, so that one file can be broken there. */
    private static void copyTree(Path from, Path target) throws IOException {
        for (String part : List.of("base", "monitoring", "overlays")) {
            try (Stream<Path> files = Files.walk(from.resolve(part))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path copied = target.resolve(from.relativize(file));
                    Files.createDirectories(copied.getParent());
                    Files.copy(file, copied);
                }
            }
        }
    }

    private static Map<String, Volume> volumes(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v));
    }

    private static double bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity).doubleValue();
    }
}
