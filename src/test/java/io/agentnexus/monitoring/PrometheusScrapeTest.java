package io.agentnexus.monitoring;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentnexus.chain.Chain;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the running service while the test drives requests, runs (one succeeding, one failing
 * on its own, one the platform cannot run), operator transactions (one mined, one reverted), a hostile deposit and
 * a rate-limited request. Then every metric the alert rules and the dashboard query is in Prometheus, and every
 * counter and histogram among them moved, except the few that only an outage moves (they must exist).
 */
@QuarkusTest
@TestProfile(PrometheusScrapeTest.OneWorker.class)
class PrometheusScrapeTest {

    /** One worker, so that a slow run holds the queue; a quota of four runs, so that the fifth is refused. */
    public static class OneWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.executions.workers", "1",
                    "agentnexus.rate-limit.policies.executions.limit", "4");
        }
    }

    private static final Path DASHBOARD = Path.of("k8s/monitoring/grafana-dashboard.json");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String JOB = "{job=\"agentnexus\"}";

    /** Queried but not exported by the service. */
    private static final Map<String, String> NOT_OURS = Map.of(
            "up", "Prometheus' own scrape health (checked to be 1)",
            "kube_deployment_status_replicas_available", "kube-state-metrics' (no cluster here)");
    /** Counters that only an outage moves: they must exist (they start at zero), not move. */
    private static final Map<String, String> MOVED_ONLY_BY_FAULTS = Map.of(
            "agentnexus_chain_listener_failures_total", "a chain RPC outage",
            "agentnexus_cache_failures_total", "a Redis outage",
            "agentnexus_ratelimit_store_failures_total", "a Redis outage",
            "agentnexus_executions_oom_kills_total", "an agent filling 512 MiB (too heavy for a shared CI machine)");
    /** Series of one label value that must move, beyond each metric as a whole. */
    private static final List<String> LABELLED = List.of(
            "agentnexus_executions_finished_total{job=\"agentnexus\", cause=\"none\"}",
            "agentnexus_executions_finished_total{job=\"agentnexus\", cause=\"agent\"}",
            "agentnexus_executions_finished_total{job=\"agentnexus\", cause=\"platform\"}",
            "agentnexus_chain_transactions_total{job=\"agentnexus\", outcome=\"mined\"}",
            "agentnexus_chain_transactions_total{job=\"agentnexus\", outcome=\"reverted\"}",
            "agentnexus_ratelimit_rejections_total{job=\"agentnexus\", policy=\"executions\"}",
            "http_server_requests_seconds_count{job=\"agentnexus\", status=~\"2..\"}",
            "http_server_requests_seconds_count{job=\"agentnexus\", status=~\"4..\"}");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$");

    @TestHTTPResource("/")
    URL service;

    @Inject
    ContainerRuntime runtime;

    @Inject
    Chain chain;

    @Inject
    EntityManager em;

    private PrometheusServer prometheus;

    @BeforeEach
    void startPrometheus(@TempDir Path dir) throws IOException {
        Path rules = dir.resolve("rules.yaml");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        yaml.writeValue(rules.toFile(), AlertRulesTest.resource().path("spec"));
        prometheus = PrometheusServer.start(dir, "127.0.0.1:" + service.getPort(), rules);
    }

    @AfterEach
    void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardQueryIsScrapedAndTheCountersMove() throws IOException {
        TestAgents.build(runtime);
        double start = awaitFirstScrape();
        Set<String> queried = new TreeSet<>(alertMetrics());
        queried.addAll(dashboardMetrics());
        queried.removeAll(NOT_OURS.keySet());
        List<String> mustMove = new ArrayList<>(queried.stream()
                .filter(m -> m.matches(".*_(total|count|sum|bucket)") && !MOVED_ONLY_BY_FAULTS.containsKey(m))
                .map(m -> m.endsWith("_bucket") ? m + "{job=\"agentnexus\", le=\"+Inf\"}" : m + JOB).toList());
        mustMove.addAll(LABELLED);
        Map<String, Double> before = new TreeMap<>();
        mustMove.forEach(series -> before.put(series, sum(series, Optional.of(start)).orElse(0.0)));

        driveRequests();
        driveRunsThroughTheQueue();
        driveTheChain();

        Await.until(() -> queried.stream().filter(m -> sum(m + JOB, Optional.empty()).isEmpty()).toList(),
                List::isEmpty, PATIENCE, "every queried metric in Prometheus (" + queried.size() + ")");
        Await.until(() -> mustMove.stream().filter(s -> sum(s, Optional.empty()).orElse(0.0) <= before.get(s)).toList(),
                List::isEmpty, PATIENCE, "every counter and histogram moving (" + mustMove.size() + ")");
        assertEquals(Optional.of(1.0), prometheus.value("max(up" + JOB + ")", Optional.empty()));
    }

    @Test
    void prometheusEvaluatesEveryRuleWithoutError() throws IOException {
        awaitFirstScrape();
        Set<String> alerts = AlertRulesTest.alerts(AlertRulesTest.resource()).keySet();
        Map<String, String> health = Await.until(this::ruleHealth, h -> h.keySet().equals(alerts)
                && h.values().stream().allMatch("ok"::equals), Duration.ofSeconds(30), "every rule evaluated");
        assertEquals(alerts, health.keySet());
    }

    /** The rules' names and health once each has been evaluated. */
    private Map<String, String> ruleHealth() {
        Map<String, String> health = new TreeMap<>();
        prometheus.ruleGroups().forEach(group -> group.path("rules").forEach(rule -> {
            if (!rule.path("lastEvaluation").asText().startsWith("0001-")) {
                health.put(rule.path("name").asText(), rule.path("health").asText()
                        + (rule.path("lastError").asText().isEmpty() ? "" : ": " + rule.path("lastError").asText()));
            }
        }));
        return health;
    }

    /** The time of the first successful scrape of the service (epoch seconds). */
    private double awaitFirstScrape() {
        JsonNode up = Await.until(() -> prometheus.query("up" + JOB + " == 1", Optional.empty()),
                Predicate.not(JsonNode::isEmpty), PATIENCE, "Prometheus scraping the service\n" + prometheus.log());
        return up.get(0).at("/value/0").asDouble();
    }

    private Optional<Double> sum(String selector, Optional<Double> time) {
        return prometheus.value("sum(" + selector + ")", time);
    }

    /** 2xx, 4xx (404, 401, 400) answers and the cache's hits and misses. */
    private void driveRequests() {
        given().get("/api/agents").then().statusCode(200);
        given().get("/api/agents/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().get("/api/users/me").then().statusCode(401);
        as(Api.newCreator()).body(Map.of("name", "x")).post("/api/agents").then().statusCode(400);
    }

    /**
     * A slow run holds the one worker while three more wait, so that the queue's gauges show a backlog; then it is
     * cancelled and the others run: one succeeds, one fails on its own (exit 3), one the platform cannot run (its
     * image can be neither found nor pulled). A fifth submission is over the user's quota.
     */
    private void driveRunsThroughTheQueue() {
        clearTheQueueOfOtherTests();
        String creator = Api.newCreator();
        String slow = submit(creator, TestAgents.SLOW);
        Await.until(() -> status(creator, slow), "RUNNING"::equals, PATIENCE, "the slow run starting");
        List<String> queued = List.of(submit(creator, TestAgents.ECHO), submit(creator, TestAgents.FAIL),
                submit(creator, "127.0.0.1:1/agentnexus-test/absent:1"));
        Await.until(() -> prometheus.value("max(agentnexus_executions_queue_depth" + JOB + ") >= 3"
                        + " and max(agentnexus_executions_queue_oldest_seconds" + JOB + ") > 0", Optional.empty()),
                Optional::isPresent, PATIENCE, "Prometheus seeing three runs waiting");
        as(creator).post("/api/executions/" + slow + "/cancel").then().statusCode(200);
        Map<String, String> outcomes = new HashMap<>();
        for (String id : queued) {
            outcomes.put(id, Api.awaitExecution(creator, id, PATIENCE).getString("status"));
        }
        assertEquals(List.of("SUCCEEDED", "FAILED", "FAILED"), queued.stream().map(outcomes::get).toList());
        assertTrue(as(creator).get("/api/executions/" + queued.get(2)).then().extract().<String>path("errorMessage")
                .startsWith("the platform could not run the agent"), "the third failed in the platform");
        as(creator).body(Map.of("agentId", agent(creator, TestAgents.ECHO), "input", Map.of())).post("/api/executions")
                .then().statusCode(429);
    }

    /** Runs left QUEUED or RUNNING by other test classes (one database for the suite) would take the one worker. */
    private void clearTheQueueOfOtherTests() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE executions SET status = 'CANCELLED',"
                + " ended_at = now(), error_message = 'cleared by PrometheusScrapeTest'"
                + " WHERE status IN ('QUEUED', 'RUNNING')").executeUpdate());
    }

    /** An operator transaction mined and one reverted; a deposit for no purchase of ours, which the listener skips. */
    private void driveTheChain() {
        TestWallet buyer = TestWallet.random();
        chain.mintForPayment(paymentId(), buyer.address(), 1);
        assertThrows(ApiException.class, () -> chain.refund(paymentId()), "refunding a payment never made reverts");
        TestChain.fund(buyer, BigInteger.TEN.pow(18));
        String ownPaymentId = buyer.address().toLowerCase() + paymentId().substring(42); // the escrow binds ids to payers
        assertTrue(TestChain.depositPayment(buyer, ownPaymentId, BigInteger.ONE, BigInteger.ONE).isStatusOK());
    }

    private String submit(String token, String image) {
        return as(token).body(Map.of("agentId", agent(token, image), "input", Map.of())).post("/api/executions")
                .then().statusCode(202).extract().path("id");
    }

    /** An agent of the creator's own (its creator needs no entitlement to run it). */
    private static String agent(String creator, String image) {
        Map<String, Object> body = agentBody("Scraped " + image.substring(image.lastIndexOf('/') + 1));
        body.put("dockerImage", image);
        return createAgent(creator, body);
    }

    private static String status(String token, String executionId) {
        return as(token).get("/api/executions/" + executionId).then().extract().path("status");
    }

    private static String paymentId() {
        byte[] id = new byte[32];
        new SecureRandom().nextBytes(id);
        return "0x" + HexFormat.of().formatHex(id);
    }

    private static Set<String> alertMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        AlertRulesTest.expressions(AlertRulesTest.resource()).forEach(expr -> names.addAll(PromQl.metricNames(expr)));
        assertTrue(names.contains("agentnexus_executions_finished_total"), names.toString());
        return names;
    }

    /** The metrics of every panel query and query variable of the dashboard. */
    private static Set<String> dashboardMetrics() throws IOException {
        assertTrue(Files.exists(DASHBOARD), DASHBOARD + " is missing");
        Set<String> names = new TreeSet<>();
        collectQueries(new ObjectMapper().readTree(DASHBOARD.toFile()), null, names);
        assertTrue(names.contains("http_server_requests_seconds_bucket"), names.toString());
        return names;
    }

    private static void collectQueries(JsonNode node, String field, Set<String> names) {
        if (node.isTextual() && "expr".equals(field)) {
            names.addAll(PromQl.metricNames(node.asText()));
        } else if (node.isObject()) {
            if ("query".equals(node.path("type").asText())) { // a query variable: label_values(selector, label)
                JsonNode query = node.path("query").isObject() ? node.at("/query/query") : node.path("query");
                Matcher labelValues = LABEL_VALUES.matcher(query.asText());
                names.addAll(PromQl.metricNames(labelValues.matches() ? labelValues.group(1) : query.asText()));
            }
            node.fields().forEachRemaining(entry -> collectQueries(entry.getValue(), entry.getKey(), names));
        } else if (node.isArray()) {
            node.forEach(element -> collectQueries(element, field, names));
        }
    }
}
