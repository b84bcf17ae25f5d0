package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static io.agentnexus.support.Concurrently.together;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What POST /api/executions accepts and refuses, and how submits racing one another end. */
@QuarkusTest
class ExecutionSubmitTest {

    // backtracks exponentially on a run of a's that does not end the way the pattern wants
    private static final Map<String, Object> CATASTROPHIC = Map.of("type", "string", "pattern", "^(.*a){25}$");
    private static final String EVIL_TEXT = "a".repeat(40) + "!";

    @Inject
    ContainerRuntime runtime;

    private String creator;

    @BeforeEach
    void setUp() {
        creator = Api.newCreator();
    }

    private String agent(String image, Map<String, Object> inputSchema, Map<String, Object> outputSchema) {
        Map<String, Object> body = agentBody("Submit " + image);
        body.put("dockerImage", image);
        body.put("inputSchema", inputSchema);
        body.put("outputSchema", outputSchema);
        return createAgent(creator, body);
    }

    @Test
    void concurrentSubmitsWithOneIdempotencyKeyAllGetTheOneExecution() throws Exception {
        TestAgents.build(runtime);
        String agentId = agent(TestAgents.ECHO, Map.of("type", "object"), Map.of("type", "object"));
        String key = "race-" + UUID.randomUUID();
        List<Response> answers = together(6, i -> as(creator).header("Idempotency-Key", key)
                .body(Map.of("agentId", agentId, "input", Map.of("n", i))).post("/api/executions"));
        List<Integer> statuses = answers.stream().map(Response::statusCode).toList();
        assertEquals(List.of(202, 202, 202, 202, 202, 202), statuses, answers.getLast().asString());
        Set<String> ids = answers.stream().map(r -> r.<String>path("id")).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "one execution for one key: " + ids);
        as(creator).queryParam("agentId", agentId).get("/api/executions").then().body("total", equalTo(1));
    }

    @Test
    void everyInvalidFieldOfASubmitIsReportedTogether() {
        as(creator).body(Map.of("agentId", "not-a-uuid", "input", "not an object")).post("/api/executions")
                .then().statusCode(400)
                .body("type", equalTo("/problems/validation"))
                .body("errors.field", equalTo(List.of("agentId", "input")));
    }

    @Test
    void anySignedInUserRunsAFreeAgent() {
        TestAgents.build(runtime);
        Map<String, Object> body = agentBody("Free for all");
        body.put("dockerImage", TestAgents.ECHO);
        body.put("price", "0");
        String agentId = createAgent(creator, body);
        String stranger = Api.signIn(TestWallet.random());
        String id = as(stranger).body(Map.of("agentId", agentId, "input", Map.of("message", "hi")))
                .post("/api/executions").then().statusCode(202).extract().path("id");
        JsonPath execution = Api.awaitExecution(stranger, id);
        assertEquals("SUCCEEDED", execution.getString("status"), execution.prettify());
        assertEquals("hi", execution.getString("output.echo.message"));
    }

    @Test
    void aPaidAgentStillNeedsAnEntitlement() {
        String agentId = agent(TestAgents.ECHO, Map.of("type", "object"), Map.of("type", "object"));
        as(Api.signIn(TestWallet.random())).body(Map.of("agentId", agentId, "input", Map.of()))
                .post("/api/executions").then().statusCode(403);
    }

    @Test
    void inputCheckWithABacktrackingPatternIsCutShort() {
        String agentId = agent(TestAgents.ECHO, Map.of("type", "object", "properties", Map.of("q", CATASTROPHIC)),
                Map.of("type", "object"));
        long started = System.nanoTime();
        as(creator).body(Map.of("agentId", agentId, "input", Map.of("q", EVIL_TEXT))).post("/api/executions")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("input"))
                .body("errors[0].message", containsString("took longer than"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the check took " + took);
    }

    @Test
    void outputCheckWithABacktrackingPatternFailsTheRun() {
        TestAgents.build(runtime);
        String agentId = agent(TestAgents.ECHO, Map.of("type", "object"),
                Map.of("type", "object", "properties", Map.of("echo",
                        Map.of("type", "object", "properties", Map.of("q", CATASTROPHIC)))));
        String id = as(creator).body(Map.of("agentId", agentId, "input", Map.of("q", EVIL_TEXT)))
                .post("/api/executions").then().statusCode(202).extract().path("id");
        JsonPath execution = Api.awaitExecution(creator, id);
        org.junit.jupiter.api.Assertions.assertEquals("FAILED", execution.getString("status"));
        assertTrue(execution.getString("errorMessage").contains("took longer than"), execution.getString("errorMessage"));
    }
}
