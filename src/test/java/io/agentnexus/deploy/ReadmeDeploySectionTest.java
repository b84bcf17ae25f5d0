package io.agentnexus.deploy;

import static io.agentnexus.deploy.DeploymentManifestsTest.rendered;
import static io.agentnexus.deploy.Rendered.container;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** README "Deploy on Kubernetes" says what the manifests hold: its figures and names are read from them here. */
class ReadmeDeploySectionTest {

    private static String section;

    @BeforeAll
    static void readSection() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Deploy on Kubernetes");
        assertTrue(start >= 0, "README has no \"Deploy on Kubernetes\" section");
        int end = readme.indexOf("\n## ", start + 1);
        section = readme.substring(start, end < 0 ? readme.length() : end);
    }

    @Test
    void theSizesTableIsWhatTheOverlaysSet() {
        Rendered dev = rendered("dev");
        Rendered prod = rendered("prod");
        int cpu = dev.one(HorizontalPodAutoscaler.class, "agentnexus").getSpec().getMetrics().get(0).getResource()
                .getTarget().getAverageUtilization();
        assertRow("API replicas (HPA, CPU " + cpu + " %)", dev, prod, r -> {
            var hpa = r.one(HorizontalPodAutoscaler.class, "agentnexus").getSpec();
            return hpa.getMinReplicas() + "–" + hpa.getMaxReplicas();
        });
        assertRow("worker pods (KEDA)", dev, prod, r -> {
            JsonNode spec = r.custom("ScaledObject", "agentnexus-worker").path("spec");
            return spec.path("minReplicaCount").asText() + "–" + spec.path("maxReplicaCount").asText();
        });
        assertRow("runs per worker pod (`AGENTNEXUS_EXECUTIONS_WORKERS`)", dev, prod,
                r -> r.environment(container(r.workers())).get("AGENTNEXUS_EXECUTIONS_WORKERS"));
        assertRow("API requests / memory limit", dev, prod, r -> sizes(r.api()));
        assertRow("worker requests / memory limit", dev, prod, r -> sizes(r.workers()));
    }

    @Test
    void theSecretsTableListsExactlyTheSecretsKeys() {
        // rows of the Secrets table: "| `agentnexus-…` (…) | `KEY`, `KEY` | …" and their continuations "| | `KEY` | …"
        Set<String> documented = Pattern.compile("(?m)^\\|(?: `agentnexus-[a-z]+`[^|]*| )\\| ([^|]+) \\|")
                .matcher(section).results().flatMap(row -> backticked(row.group(1)).stream())
                .collect(Collectors.toSet());
        Set<String> rendered = rendered("prod").all(Secret.class).stream()
                .flatMap(s -> s.getStringData().keySet().stream()).collect(Collectors.toSet());
        assertEquals(rendered, documented);
    }

    @Test
    void theNamesQueryAndRightsAreTheManifests() {
        Rendered prod = rendered("prod");
        JsonNode trigger = prod.custom("ScaledObject", "agentnexus-worker").path("spec").path("triggers").get(0);
        assertContains("`" + trigger.path("metadata").path("query").asText() + "`");
        assertContains("`" + trigger.path("metadata").path("serverAddress").asText() + "`");
        Role role = prod.all(Role.class).get(0);
        for (String resource : List.of("jobs", "pods", "pods/log", "pods/attach")) {
            String verbs = role.getRules().stream().filter(rule -> rule.getResources().contains(resource))
                    .flatMap(rule -> rule.getVerbs().stream()).collect(Collectors.joining("/"));
            assertContains("`" + resource + "` " + verbs);
        }
        for (String name : List.of("Role and RoleBinding\n`" + role.getMetadata().getName() + "`",
                "ServiceMonitor `agentnexus`", "PodMonitor `agentnexus-worker`", "PrometheusRule `agentnexus`",
                "ConfigMap `agentnexus-dashboard`", "`grafana_dashboard: \"1\"`", "NetworkPolicy `agent-runs-isolated`",
                "`app.kubernetes.io/component: agent-run`", "`AGENTNEXUS_RUNTIME=kubernetes`", "`restricted`")) {
            assertContains(name);
        }
    }

    private static void assertRow(String what, Rendered dev, Rendered prod, Function<Rendered, String> value) {
        assertContains("| " + what + " | " + value.apply(dev) + " | " + value.apply(prod) + " |");
    }

    private static String sizes(Deployment deployment) {
        ResourceRequirements resources = container(deployment).getResources();
        return resources.getRequests().get("cpu") + ", " + resources.getRequests().get("memory") + " / "
                + resources.getLimits().get("memory");
    }

    private static List<String> backticked(String cell) {
        return Pattern.compile("`([^`]+)`").matcher(cell).results().map(m -> m.group(1)).toList();
    }

    private static void assertContains(String text) {
        assertTrue(section.contains(text), "README \"Deploy on Kubernetes\" should say: " + text);
    }
}
