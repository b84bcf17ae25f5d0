package io.agentnexus.deploy;

import static io.agentnexus.deploy.DeploymentManifestsTest.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runs namespace (its access rules and isolation), the example Secrets, and what Prometheus and Grafana read. */
class RunsAccessAndMonitoringManifestsTest {

    private static final String RUNS = "agentnexus-runs";

    /**
     * What the Kubernetes runtime does in the runs namespace (resource → verbs), and nothing more: it creates,
     * watches, patches and deletes Jobs, reads their pods, follows their logs and attaches stdin. The one list to
     * change with the runtime, together with the "RBAC" lines of application.properties.
     */
    private static final Map<String, Set<String>> RUNTIME_RIGHTS = Map.of(
            "batch/jobs", Set.of("create", "get", "list", "watch", "delete", "patch"),
            "/pods", Set.of("get", "list", "watch"),
            "/pods/log", Set.of("get"),
            "/pods/attach", Set.of("create"));

    /** A real credential looks like one of these; the example must hold none. */
    private static final List<Pattern> REAL_LOOKING = List.of(
            Pattern.compile("-----BEGIN"), Pattern.compile("(?i)\\b(0x)?[0-9a-f]{40,}\\b"),
            Pattern.compile("://[^/\\s]*:[^/\\s]*@"), Pattern.compile("(?i)\\bey[a-z0-9_-]{20,}"));

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRuntimeHasExactlyTheRightsItUsesAndOnlyInTheRunsNamespace(String overlay) {
        Rendered r = rendered(overlay);
        Role role = r.all(Role.class).stream().collect(single());
        assertEquals(RUNS, role.getMetadata().getNamespace());
        Map<String, Set<String>> granted = new HashMap<>();
        role.getRules().forEach(rule -> rule.getApiGroups().forEach(group -> rule.getResources().forEach(
                resource -> granted.computeIfAbsent(group + "/" + resource, k -> new java.util.HashSet<>())
                        .addAll(rule.getVerbs()))));
        role.getRules().forEach(rule -> assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty()));
        assertEquals(RUNTIME_RIGHTS, granted);

        RoleBinding binding = r.all(RoleBinding.class).stream().collect(single());
        assertEquals(RUNS, binding.getMetadata().getNamespace(), "a binding grants a Role of its own namespace");
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(1, binding.getSubjects().size());
        var subject = binding.getSubjects().get(0);
        assertEquals(List.of("ServiceAccount", "agentnexus", Rendered.NAMESPACE),
                List.of(subject.getKind(), subject.getName(), subject.getNamespace()));
        assertEquals(List.of(), r.all(ClusterRole.class));
        assertEquals(List.of(), r.all(ClusterRoleBinding.class), "no cluster-wide rights (no default view binding)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void agentRunsCanNeitherBeReachedNorReachOut(String overlay) {
        Rendered r = rendered(overlay);
        Namespace runs = r.one(Namespace.class, RUNS);
        assertEquals("restricted", runs.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        NetworkPolicy policy = r.all(NetworkPolicy.class).stream().collect(single());
        assertEquals(RUNS, policy.getMetadata().getNamespace());
        assertEquals(Map.of("app.kubernetes.io/component", "agent-run"),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(Set.of("Ingress", "Egress"), Set.copyOf(policy.getSpec().getPolicyTypes()));
        assertTrue(policy.getSpec().getIngress().isEmpty(), "no ingress rule: nothing may connect");
        assertTrue(policy.getSpec().getEgress().isEmpty(), "no egress rule: nothing may be reached, DNS included");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theExampleSecretsSayWhatGoesWhereAndHoldNothingReal(String overlay) {
        Rendered r = rendered(overlay);
        Map<String, Map<String, String>> secrets = r.all(Secret.class).stream().collect(Collectors.toMap(
                s -> s.getMetadata().getName(), RunsAccessAndMonitoringManifestsTest::values));
        assertEquals(Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                "QUARKUS_REDIS_HOSTS", "AGENTNEXUS_CHAIN_RPC_URL", "AGENTNEXUS_CHAIN_ESCROW_ADDRESS",
                "AGENTNEXUS_CHAIN_ENTITLEMENTS_ADDRESS", "AGENTNEXUS_CHAIN_OPERATOR_KEY", "AGENTNEXUS_RECEIPTS_SIGNER_KEY",
                "AGENTNEXUS_WALLET_BUNDLER_URL",
                "AGENTNEXUS_WALLET_FACTORY", "AGENTNEXUS_WALLET_PAYMASTER_POLICY_ID"),
                secrets.get("agentnexus-secrets").keySet());
        assertEquals(Set.of("jwt-private.pem", "jwt-public.pem"), secrets.get("agentnexus-jwt").keySet());
        Map<String, String> config = r.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("agentnexus-config")).findFirst().orElseThrow()
                .getData();
        assertEquals("/keys/jwt-private.pem", config.get("SMALLRYE_JWT_SIGN_KEY_LOCATION"));
        assertEquals("/keys/jwt-public.pem", config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals("alchemy", config.get("AGENTNEXUS_WALLET_PAYMASTER_MODE"));
        secrets.forEach((name, values) -> values.forEach((key, value) -> {
            assertTrue(value.startsWith("REPLACE-ME: ") && value.length() > "REPLACE-ME: ".length() + 10,
                    name + "/" + key + " must be a placeholder saying what goes there: " + value);
            REAL_LOOKING.forEach(real -> assertFalse(real.matcher(value).find(),
                    name + "/" + key + " looks like a real value (" + real + "): " + value));
        }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void prometheusScrapesApiAndWorkersAsOneJobAndGrafanaFindsTheDashboard(String overlay) throws Exception {
        Rendered r = rendered(overlay);
        Service service = r.one(Service.class, "agentnexus");
        ServiceMonitor monitor = r.one(ServiceMonitor.class, "agentnexus");
        assertTrue(service.getMetadata().getLabels().entrySet()
                .containsAll(monitor.getSpec().getSelector().getMatchLabels().entrySet()));
        assertEquals("agentnexus", service.getMetadata().getLabels().get(monitor.getSpec().getJobLabel()));
        var endpoint = monitor.getSpec().getEndpoints().get(0);
        assertEquals("/q/metrics", endpoint.getPath());
        assertTrue(service.getSpec().getPorts().stream().map(ServicePort::getName).anyMatch(endpoint.getPort()::equals));

        PodMonitor workers = r.one(PodMonitor.class, "agentnexus-worker");
        var workerLabels = r.workers().getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(workerLabels.entrySet().containsAll(workers.getSpec().getSelector().getMatchLabels().entrySet()));
        assertEquals("agentnexus", workerLabels.get(workers.getSpec().getJobLabel()));
        var podEndpoint = workers.getSpec().getPodMetricsEndpoints().get(0);
        assertEquals("/q/metrics", podEndpoint.getPath());
        assertTrue(Rendered.container(r.workers()).getPorts().stream().anyMatch(p -> p.getName().equals(podEndpoint.getPort())));

        assertFalse(r.all(PrometheusRule.class).isEmpty());
        ConfigMap dashboard = r.all(ConfigMap.class).stream()
                .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).collect(single());
        assertEquals("agentnexus-dashboard", dashboard.getMetadata().getName(), "a fixed name, no hash suffix");
        var file = dashboard.getData().entrySet().stream().collect(single());
        assertTrue(file.getKey().endsWith(".json"), file.getKey());
        assertTrue(new ObjectMapper().readTree(file.getValue()).has("title"));
    }

    private static Map<String, String> values(Secret secret) {
        Map<String, String> values = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v),
                    StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    private static <T> java.util.stream.Collector<T, ?, T> single() {
        return Collectors.collectingAndThen(Collectors.toList(), list -> {
            assertEquals(1, list.size(), "expected exactly one: " + list);
            return list.get(0);
        });
    }
}
