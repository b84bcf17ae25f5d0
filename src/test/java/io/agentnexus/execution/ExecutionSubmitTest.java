package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.TestAgents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
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

    private JsonPath awaitFinal(String token, String executionId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath execution = as(token).get("/api/executions/" + executionId).then().statusCode(200)
                    .extract().jsonPath();
            String status = execution.getString("status");
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return execution;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new AssertionError("execution " + executionId + " did not finish");
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
        JsonPath execution = awaitFinal(creator, id);
        org.junit.jupiter.api.Assertions.assertEquals("FAILED", execution.getString("status"));
        assertTrue(execution.getString("errorMessage").contains("took longer than"), execution.getString("errorMessage"));
    }
}
