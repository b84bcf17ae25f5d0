package io.agentnexus.execution;

import static io.agentnexus.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestWallet;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sync runs: {@code Prefer: wait=N} holds the submit until the run ends or N seconds pass. */
@QuarkusTest
class ExecutionSyncTest {

    @Inject
    ContainerRuntime runtime;

    @Inject
    RedisDataSource redis;

    private String creator;
    private String user;

    @BeforeEach
    void setUp() {
        TestAgents.build(runtime);
        creator = Api.newCreator();
        user = Api.signIn(TestWallet.random());
    }

    private ValidatableResponse submit(String agentId, String prefer) {
        return as(user).header("Prefer", prefer).body(Map.of("agentId", agentId, "input", Map.of("message", "hi")))
                .post("/api/executions").then().header("Location", containsString("/api/executions/"));
    }

    @Test
    void shortRunAnswersWithItsFinalExecutionInOneCall() {
        submit(Api.freeAgent(creator, TestAgents.ECHO), "wait=30").statusCode(200)
                .header("Preference-Applied", "wait=30")
                .body("status", equalTo("SUCCEEDED"))
                .body("output.echo.message", equalTo("hi"));
    }

    @Test
    void runLongerThanTheWaitAnswers202AndGoesOn() {
        long start = System.nanoTime();
        String id = submit(Api.freeAgent(creator, TestAgents.NAP), "respond-async, WAIT=1").statusCode(202)
                .header("Preference-Applied", "wait=1")
                .body("status", oneOf("QUEUED", "RUNNING")).extract().path("id");
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(waited.compareTo(Duration.ofMillis(900)) >= 0 && waited.compareTo(Duration.ofSeconds(4)) < 0,
                "waited " + waited);
        assertEquals("SUCCEEDED", Api.awaitExecution(user, id).getString("status"));
    }

    @Test
    void waitOverSixtySecondsIsAppliedAsSixty() {
        submit(Api.freeAgent(creator, TestAgents.ECHO), "wait=999").statusCode(200)
                .header("Preference-Applied", "wait=60").body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void malformedWaitIsIgnored() {
        submit(Api.freeAgent(creator, TestAgents.ECHO), "wait=soon").statusCode(202)
                .header("Preference-Applied", is(nullValue())).body("status", oneOf("QUEUED", "RUNNING"));
    }

    @Test
    void idempotentReplayWaitsToo() {
        String agentId = Api.freeAgent(creator, TestAgents.ECHO);
        String id = as(user).header("Idempotency-Key", "sync-replay").body(Map.of("agentId", agentId, "input",
                Map.of("message", "hi"))).post("/api/executions").then().statusCode(202).extract().path("id");
        as(user).header("Idempotency-Key", "sync-replay").header("Prefer", "wait=30")
                .body(Map.of("agentId", agentId, "input", Map.of("message", "hi"))).post("/api/executions")
                .then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void clientThatGoesAwayDoesNotCancelTheRun() throws Exception {
        String agentId = Api.freeAgent(creator, TestAgents.NAP);
        String id;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            send(socket.getOutputStream(), "{\"agentId\": \"" + agentId + "\", \"input\": {}}");
            // the answer is what the client gives up on: the run is found through the list instead
            id = Await.until(() -> as(user).queryParam("agentId", agentId).get("/api/executions").then()
                    .extract().<String>path("executions[0].id"), Objects::nonNull, Duration.ofSeconds(10), "the run");
            String run = id;
            Await.until(() -> subscribers(run), n -> n == 1, Duration.ofSeconds(10), "the waiter subscribing");
            Await.until(() -> status(run), "RUNNING"::equals, Duration.ofSeconds(30), "the run starting");
        }
        assertEquals("SUCCEEDED", Api.awaitExecution(user, id).getString("status"), "the client left; the run went on");
    }

    @Test
    void openApiDescribesSyncRuns() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/executions'.post.parameters.name", hasItem("Prefer"))
                .body("paths.'/api/executions'.post.responses.'200'.description", containsString("wait=N"))
                .body("paths.'/api/executions'.post.responses.'202'", notNullValue());
    }

    private void send(OutputStream out, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(String.join("\r\n", List.of("POST /api/executions HTTP/1.1", "Host: localhost",
                "Authorization: Bearer " + user, "Content-Type: application/json", "Prefer: wait=60",
                "Content-Length: " + bytes.length, "", "")).getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private String status(String id) {
        return as(user).get("/api/executions/" + id).then().extract().path("status");
    }

    private int subscribers(String id) {
        return redis.execute("PUBSUB", "NUMSUB", LogSignals.channel(UUID.fromString(id))).get(1).toInteger();
    }
}
