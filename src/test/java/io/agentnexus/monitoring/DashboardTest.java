package io.agentnexus.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Grafana dashboard, checked offline with real tools (k8s/tools/check-dashboard.mjs): against JSON Schemas
 * generated from @grafana/schema on each run and validated with ajv, and every PromQL expression through
 * {@code promtool check rules}. The checks are shown to fail on broken input, and each signal the dashboard
 * promises has a panel that queries its metric.
 */
class DashboardTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path DASHBOARD = K8S.resolve("monitoring/grafana-dashboard.json");
    private static final Path CHECK = K8S.resolve("tools/check-dashboard.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The panel the negative cases break. */
    private static final String LATENCY = "Latency";

    /** A metric name right before its label selector: every query here selects on job and namespace. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");

    /** The service's metrics (see the alerts) plus the standard JVM/Vert.x ones Quarkus' Micrometer exports. */
    private static final Set<String> KNOWN_METRICS = Set.of(
            "http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
            "http_server_active_requests", "process_cpu_usage", "jvm_memory_used_bytes", "jvm_memory_max_bytes",
            "worker_pool_ratio",
            "agentnexus_executions_finished_total", "agentnexus_executions_queue_depth",
            "agentnexus_executions_queue_oldest_seconds", "agentnexus_executions_queue_wait_seconds_bucket",
            "agentnexus_executions_run_duration_seconds_bucket", "agentnexus_executions_container_start_seconds_bucket",
            "agentnexus_executions_oom_kills_total",
            "agentnexus_chain_calls_seconds_count", "agentnexus_chain_calls_seconds_bucket",
            "agentnexus_chain_transactions_total", "agentnexus_chain_reverts_total",
            "agentnexus_chain_listener_lag_blocks", "agentnexus_chain_listener_failures_total",
            "agentnexus_chain_listener_skipped_total",
            "agentnexus_cache_requests_total", "agentnexus_cache_failures_total",
            "agentnexus_ratelimit_rejections_total", "agentnexus_ratelimit_store_failures_total");

    @BeforeAll
    static void toolsAreInstalled() {
        for (String module : List.of("ts-json-schema-generator", "ajv", "@grafana/schema")) {
            if (!Files.isDirectory(K8S.resolve("node_modules").resolve(module))) {
                fail("k8s/node_modules/" + module + " is missing: run `cd k8s && npm ci`");
            }
        }
        Tools.require("node", "node v20+ runs the dashboard schema check");
        Tools.require(Tools.PROMTOOL, Tools.PROMETHEUS_PACKAGE);
    }

    @Test
    void theDashboardMatchesTheGrafanaSchemaAndItsQueriesParse() {
        Tools.Result result = check(DASHBOARD);
        assertEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("PromQL expressions parse"), result.output());
    }

    @Test
    void aMisspeltPanelFieldFails(@TempDir Path dir) throws IOException {
        Tools.Result result = checkChanged(dir, LATENCY, p -> p.set("descripton", p.remove("description")));
        assertFailsWith(result, "unknown field \"descripton\"");
    }

    @Test
    void aFieldOfTheWrongTypeFails(@TempDir Path dir) throws IOException {
        Tools.Result result = checkChanged(dir, LATENCY, p -> ((ObjectNode) p.get("gridPos")).put("w", "8"));
        assertFailsWith(result, "gridPos/w: must be number");
    }

    @Test
    void aPanelOptionOutsideThePluginSchemaFails(@TempDir Path dir) throws IOException {
        Tools.Result result = checkChanged(dir, LATENCY,
                p -> ((ObjectNode) p.at("/options/tooltip")).put("mode", "multiple"));
        assertFailsWith(result, "options/tooltip/mode: must be equal to one of the allowed values (TimeSeriesOptions)");
    }

    @Test
    void aMisspeltQueryFieldFails(@TempDir Path dir) throws IOException {
        Tools.Result result = checkChanged(dir, LATENCY,
                p -> {
                    ObjectNode target = (ObjectNode) p.at("/targets/0");
                    target.set("legend", target.remove("legendFormat"));
                });
        assertFailsWith(result, "unknown field \"legend\" (PrometheusQuery)");
    }

    @Test
    void anExpressionThatDoesNotParseFails(@TempDir Path dir) throws IOException {
        Tools.Result result = checkChanged(dir, LATENCY, p -> {
            ObjectNode target = (ObjectNode) p.at("/targets/0");
            target.put("expr", target.get("expr").asText().replaceFirst("\\)$", ""));
        });
        assertFailsWith(result, "could not parse expression");
        assertTrue(result.output().contains("\\\"" + LATENCY + "\\\" target A"), result.output());
    }

    @Test
    void anUnknownGrafanaVariableFails(@TempDir Path dir) throws IOException {
        Tools.Result result = checkChanged(dir, LATENCY, p -> {
            ObjectNode target = (ObjectNode) p.at("/targets/0");
            target.put("expr", target.get("expr").asText().replace("$job", "$service"));
        });
        assertFailsWith(result, "unknown Grafana variable $service");
    }

    record Signal(String name, String metric, List<String> fragments) {
        Signal(String name, String metric, String... fragments) {
            this(name, metric, List.of(fragments));
        }

        boolean shownBy(String expr) {
            return expr.contains(metric + "{") && fragments.stream().allMatch(expr::contains);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Signal> signals() {
        return Stream.of(
                new Signal("request rate", "http_server_requests_seconds_count", "rate("),
                new Signal("5xx error ratio", "http_server_requests_seconds_count", "status=~\"5..\"", " / "),
                new Signal("latency p50", "http_server_requests_seconds_bucket", "histogram_quantile(0.5,"),
                new Signal("latency p95", "http_server_requests_seconds_bucket", "histogram_quantile(0.95,"),
                new Signal("latency p99", "http_server_requests_seconds_bucket", "histogram_quantile(0.99,"),
                new Signal("saturation: CPU", "process_cpu_usage"),
                new Signal("saturation: heap", "jvm_memory_used_bytes", "jvm_memory_max_bytes"),
                new Signal("saturation: in-flight requests", "http_server_active_requests"),
                new Signal("executions by status", "agentnexus_executions_finished_total", "by (status)"),
                new Signal("executions by cause", "agentnexus_executions_finished_total", "by (cause)"),
                new Signal("platform failure ratio", "agentnexus_executions_finished_total", "cause=\"platform\"", " / "),
                new Signal("queue depth", "agentnexus_executions_queue_depth"),
                new Signal("oldest queued run", "agentnexus_executions_queue_oldest_seconds"),
                new Signal("queue wait", "agentnexus_executions_queue_wait_seconds_bucket", "histogram_quantile("),
                new Signal("run duration", "agentnexus_executions_run_duration_seconds_bucket", "histogram_quantile("),
                new Signal("container start latency", "agentnexus_executions_container_start_seconds_bucket",
                        "histogram_quantile("),
                new Signal("chain calls", "agentnexus_chain_calls_seconds_count", "by (method, outcome)"),
                new Signal("chain call latency", "agentnexus_chain_calls_seconds_bucket", "histogram_quantile("),
                new Signal("transaction revert ratio", "agentnexus_chain_transactions_total", "outcome=\"reverted\"",
                        " / "),
                new Signal("listener lag", "agentnexus_chain_listener_lag_blocks"),
                new Signal("listener failures", "agentnexus_chain_listener_failures_total", "rate("),
                new Signal("listener skips", "agentnexus_chain_listener_skipped_total", "by (reason)"),
                new Signal("cache hit ratio", "agentnexus_cache_requests_total", "result=\"hit\"", " / "),
                new Signal("rate-limit rejections", "agentnexus_ratelimit_rejections_total", "by (policy)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void everySignalHasAPanel(Signal signal) throws IOException {
        List<String> panels = panels(read()).filter(p -> targets(p).anyMatch(t -> signal.shownBy(t.path("expr").asText())))
                .map(p -> p.path("title").asText()).toList();
        assertNotEquals(List.of(), panels, "no panel shows " + signal + " (" + signal.metric() + ")");
    }

    @Test
    void queriesUseKnownMetricsTheJobAndNamespaceAndTheRateInterval() throws IOException {
        Set<String> unknown = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        panels(read()).forEach(panel -> targets(panel).forEach(target -> {
            String expr = target.path("expr").asText();
            String where = panel.path("title").asText() + " " + target.path("refId").asText() + ": ";
            Matcher selector = SELECTOR.matcher(expr);
            boolean any = false;
            while (selector.find()) {
                any = true;
                if (!KNOWN_METRICS.contains(selector.group(1))) {
                    unknown.add(selector.group(1));
                }
                if (!selector.group(2).startsWith("job=\"$job\", namespace=~\"$namespace\"")) {
                    problems.add(where + "selector without job and namespace: " + selector.group());
                }
            }
            if (!any) {
                problems.add(where + "no metric selector in " + expr);
            }
            Matcher range = Pattern.compile("\\[([^]]*)]").matcher(expr);
            while (range.find()) {
                if (!range.group(1).equals("$__rate_interval")) {
                    problems.add(where + "range [" + range.group(1) + "] instead of [$__rate_interval]");
                }
            }
        }));
        assertEquals(Set.of(), unknown, "metrics the service does not export");
        assertEquals(List.of(), problems);
    }

    @Test
    void panelsUseTheDatasourceVariableAndHaveUnitsAndDescriptions() throws IOException {
        JsonNode dashboard = read();
        assertEquals("agentnexus", dashboard.path("uid").asText());
        assertEquals("AgentNexus", dashboard.path("title").asText());
        JsonNode datasource = StreamSupport.stream(dashboard.at("/templating/list").spliterator(), false)
                .filter(v -> v.path("name").asText().equals("datasource")).findFirst().orElseThrow();
        assertEquals("datasource", datasource.path("type").asText());
        assertEquals("prometheus", datasource.path("query").asText());
        List<String> problems = new ArrayList<>();
        panels(dashboard).forEach(panel -> {
            String title = panel.path("title").asText();
            if (!panel.at("/datasource/uid").asText().equals("${datasource}")
                    || targets(panel).anyMatch(t -> !t.at("/datasource/uid").asText().equals("${datasource}"))) {
                problems.add(title + ": not on ${datasource}");
            }
            if (panel.at("/fieldConfig/defaults/unit").asText().isEmpty()) {
                problems.add(title + ": no unit");
            }
            if (panel.path("description").asText().isBlank()) {
                problems.add(title + ": no description");
            }
        });
        assertEquals(List.of(), problems);
    }

    private static JsonNode read() throws IOException {
        return JSON.readTree(DASHBOARD.toFile());
    }

    /** The query panels, rows left out (their nested panels included). */
    private static Stream<JsonNode> panels(JsonNode dashboard) {
        return StreamSupport.stream(dashboard.path("panels").spliterator(), false)
                .flatMap(p -> p.path("type").asText().equals("row")
                        ? StreamSupport.stream(p.path("panels").spliterator(), false)
                        : Stream.of(p));
    }

    private static Stream<JsonNode> targets(JsonNode panel) {
        return StreamSupport.stream(panel.path("targets").spliterator(), false);
    }

    /** The committed dashboard with one panel changed, written to dir and checked. */
    private static Tools.Result checkChanged(Path dir, String title, Consumer<ObjectNode> change) throws IOException {
        JsonNode dashboard = read();
        ObjectNode panel = (ObjectNode) panels(dashboard).filter(p -> p.path("title").asText().equals(title))
                .findFirst().orElseThrow(() -> new AssertionError("no panel titled " + title));
        change.accept(panel);
        Path changed = dir.resolve("dashboard.json");
        JSON.writeValue(changed.toFile(), dashboard);
        return check(changed);
    }

    private static void assertFailsWith(Tools.Result result, String message) {
        assertEquals(1, result.status(), result.output());
        assertTrue(result.output().contains(message), "expected «" + message + "» in:\n" + result.output());
    }

    private static Tools.Result check(Path dashboard) {
        return Tools.run("node", CHECK.toString(), dashboard.toString());
    }
}
