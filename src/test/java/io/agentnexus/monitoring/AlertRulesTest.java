package io.agentnexus.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule checked with Debian's promtool: its rules load ({@code check rules}), every alert fires
 * above its threshold and stays silent below it ({@code test rules} with k8s/monitoring/alerts-test.yaml), and
 * those unit tests bite: an alert that never fires fails its firing case, one that always fires its silent case.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("k8s/monitoring/prometheus-rules.yaml");
    private static final Path UNIT_TESTS = Path.of("k8s/monitoring/alerts-test.yaml");
    /** Where alerts-test.yaml expects the rule file: beside it, under this name. */
    private static final String SPEC_FILE = "prometheus-rules.spec.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern FAILED_CASE = Pattern.compile("name: (.*),\\s*\\n\\s*alertname: (\\w+)");

    @BeforeAll
    static void promtoolIsInstalled() {
        Tools.require(Tools.PROMTOOL, Tools.PROMETHEUS_PACKAGE);
    }

    /** The PrometheusRule custom resource. */
    static JsonNode resource() throws IOException {
        return YAML.readTree(RULES.toFile());
    }

    /** Every alerting rule of the resource, by name. */
    static Map<String, JsonNode> alerts(JsonNode resource) {
        Map<String, JsonNode> alerts = new TreeMap<>();
        resource.at("/spec/groups").forEach(group -> group.path("rules").forEach(rule -> {
            if (rule.has("alert")) {
                alerts.put(rule.path("alert").asText(), rule);
            }
        }));
        return alerts;
    }

    @Test
    void theResourceIsAPrometheusRuleTheOperatorSelects() throws IOException {
        JsonNode resource = resource();
        assertEquals("monitoring.coreos.com/v1", resource.path("apiVersion").asText());
        assertEquals("PrometheusRule", resource.path("kind").asText());
        assertEquals("agentnexus", resource.at("/metadata/name").asText());
        assertEquals("agentnexus", resource.at("/metadata/labels/app.kubernetes.io~1part-of").asText(),
                "the label a ruleSelector matches");
    }

    @Test
    void theRulesLoad(@TempDir Path dir) throws IOException {
        Tools.Result result = Tools.run(Tools.PROMTOOL, "check", "rules", writeRules(dir, resource()).toString());
        assertEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("SUCCESS: " + alerts(resource()).size() + " rules found"), result.output());
    }

    @Test
    void everyAlertPassesItsUnitTests(@TempDir Path dir) throws IOException {
        Tools.Result result = test(dir, resource());
        assertEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void everyAlertHasADurationASeverityASummaryADescriptionAndAOneLineRunbook() throws IOException {
        List<String> problems = new ArrayList<>();
        alerts(resource()).forEach((name, rule) -> {
            if (rule.path("for").asText().isBlank()) {
                problems.add(name + ": no for");
            }
            if (!Set.of("warning", "critical").contains(rule.at("/labels/severity").asText())) {
                problems.add(name + ": severity is neither warning nor critical");
            }
            for (String annotation : List.of("summary", "description", "runbook")) {
                if (rule.at("/annotations/" + annotation).asText().isBlank()) {
                    problems.add(name + ": no " + annotation);
                }
            }
            if (rule.at("/annotations/runbook").asText().contains("\n")) {
                problems.add(name + ": the runbook is more than one line");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertHasACaseThatFiresAndOneThatStaysSilent() throws IOException {
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        YAML.readTree(UNIT_TESTS.toFile()).path("tests").forEach(test -> test.path("alert_rule_test").forEach(c ->
                (c.path("exp_alerts").isEmpty() ? silent : fires).add(c.path("alertname").asText())));
        Set<String> names = alerts(resource()).keySet();
        assertEquals(names, fires, "alerts with a case that fires");
        assertEquals(names, silent, "alerts with a case that stays silent");
    }

    /** With every expression never true, each alert's firing case fails. */
    @Test
    void theFiringCasesCatchAlertsThatNeverFire(@TempDir Path dir) throws IOException {
        Map<String, Set<Kind>> failed = failedCases(test(dir, withEveryExpr("vector(1) > 2")));
        alerts(resource()).keySet().forEach(alert -> assertEquals(Set.of(Kind.FIRES), failed.get(alert),
                alert + ": the cases that failed"));
    }

    /** With every expression always true, each alert's silent cases fail. */
    @Test
    void theSilentCasesCatchAlertsThatAlwaysFire(@TempDir Path dir) throws IOException {
        Map<String, Set<Kind>> failed = failedCases(test(dir, withEveryExpr("vector(1)")));
        alerts(resource()).keySet().forEach(alert -> assertTrue(failed.getOrDefault(alert, Set.of())
                .contains(Kind.STAYS_SILENT), alert + ": the cases that failed: " + failed.get(alert)));
    }

    private enum Kind { FIRES, STAYS_SILENT }

    /** Mutation testing in one promtool run: each unit test case checks its own alert only. */
    private static JsonNode withEveryExpr(String expr) throws IOException {
        JsonNode resource = resource();
        alerts(resource).values().forEach(rule -> ((ObjectNode) rule).put("expr", expr));
        return resource;
    }

    /** promtool's failed cases: alert → whether a case that fires or one that stays silent failed. */
    private static Map<String, Set<Kind>> failedCases(Tools.Result result) throws IOException {
        assertEquals(1, result.status(), "promtool test rules should fail:\n" + result.output());
        Map<String, Kind> kinds = new TreeMap<>(); // "test name/alert" → kind
        YAML.readTree(UNIT_TESTS.toFile()).path("tests").forEach(test -> test.path("alert_rule_test").forEach(c ->
                kinds.put(test.path("name").asText() + "/" + c.path("alertname").asText(),
                        c.path("exp_alerts").isEmpty() ? Kind.STAYS_SILENT : Kind.FIRES)));
        Map<String, Set<Kind>> failed = new TreeMap<>();
        Matcher failure = FAILED_CASE.matcher(result.output());
        while (failure.find()) {
            Kind kind = kinds.get(failure.group(1) + "/" + failure.group(2));
            assertTrue(kind != null, "promtool names an unknown case: " + failure.group());
            failed.computeIfAbsent(failure.group(2), a -> new TreeSet<>()).add(kind);
        }
        return failed;
    }

    /** The resource's spec (a Prometheus rule file) and the unit tests, side by side in dir; promtool's verdict. */
    private static Tools.Result test(Path dir, JsonNode resource) throws IOException {
        writeRules(dir, resource);
        Path tests = Files.copy(UNIT_TESTS, dir.resolve("alerts-test.yaml"));
        return Tools.run(Tools.PROMTOOL, "test", "rules", tests.toString());
    }

    private static Path writeRules(Path dir, JsonNode resource) throws IOException {
        Path rules = dir.resolve(SPEC_FILE);
        YAML.writeValue(rules.toFile(), resource.path("spec"));
        return rules;
    }

    /** Every expression of the rules (alerts and any recording rules). */
    static Stream<String> expressions(JsonNode resource) {
        return StreamSupport.stream(resource.at("/spec/groups").spliterator(), false)
                .flatMap(group -> StreamSupport.stream(group.path("rules").spliterator(), false))
                .map(rule -> rule.path("expr").asText());
    }
}
