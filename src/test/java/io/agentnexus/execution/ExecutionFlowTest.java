package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.LogRecorder;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs of real agent images in real containers, through the API. */
@QuarkusTest
class ExecutionFlowTest {

    private static final Map<String, Object> MESSAGE_SCHEMA = Map.of("type", "object", "required", List.of("message"),
            "properties", Map.of("message", Map.of("type", "string")));

    @Inject
    ContainerRuntime runtime;

    @Inject
    EntityManager em;

    @Inject
    RedisDataSource redis;

    private String creator;
    private TestWallet userWallet;
    private String user;

    @BeforeEach
    void setUp() {
        TestAgents.build(runtime);
        creator = Api.newCreator();
        userWallet = TestWallet.random();
        user = Api.signIn(userWallet);
    }

    /** An agent of the given image that the user holds an entitlement for. */
    private String agent(String image, Map<String, Object> outputSchema) {
        Map<String, Object> body = agentBody("Runs " + image);
        body.put("dockerImage", image);
        body.put("inputSchema", MESSAGE_SCHEMA);
        body.put("outputSchema", outputSchema);
        String agentId = createAgent(creator, body);
        long chainId = ((Number) as(creator).get("/api/agents/" + agentId).then().extract().path("chainAgentId"))
                .longValue();
        TestChain.mint(userWallet.address(), chainId);
        UUID userId = UUID.fromString(as(user).get("/api/users/me").then().extract().path("id"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                INSERT INTO entitlements (id, user_id, agent_id, token_id, amount, created_at)
                SELECT ?1, ?2, a.id, a.chain_agent_id, 1, now() FROM agents a WHERE a.id = ?3""")
                .setParameter(1, UUID.randomUUID()).setParameter(2, userId).setParameter(3, UUID.fromString(agentId))
                .executeUpdate());
        return agentId;
    }

    private String agent(String image) {
        return agent(image, Map.of("type", "object"));
    }

    private void limit(String agentId, String field, int value) {
        as(creator).body(Map.of(field, value)).put("/api/agents/" + agentId).then().statusCode(200)
                .body(field, equalTo(value));
    }

    private String submit(String agentId, Map<String, Object> input) {
        return as(user).body(Map.of("agentId", agentId, "input", input)).post("/api/executions")
                .then().statusCode(202).body("status", oneOf("QUEUED", "RUNNING")) // a woken worker may have it already
                .header("Location", containsString("/api/executions/")).extract().path("id");
    }

    private JsonPath awaitFinal(String executionId) {
        return awaitFinal(executionId, Duration.ofSeconds(60));
    }

    private JsonPath awaitFinal(String executionId, Duration patience) {
        return Api.awaitExecution(user, executionId, patience);
    }

    /** Removed in the background once the result is recorded. */
    private void awaitRemoved(String executionId) {
        Await.until(() -> runtime.listByLabel(ExecutionRunner.EXECUTION_LABEL, executionId), List::isEmpty,
                Duration.ofSeconds(30), "the container of " + executionId + " removed");
    }

    private void awaitStatus(String executionId, String status) {
        Await.until(() -> as(user).get("/api/executions/" + executionId).then().extract().<String>path("status"),
                status::equals, Duration.ofSeconds(30), "execution " + executionId + " becoming " + status);
    }

    @Test
    void successfulRunHasOutputLogsAndTimings() {
        String id = submit(agent(TestAgents.ECHO), Map.of("message", "hi"));
        JsonPath done = awaitFinal(id);
        assertEquals("SUCCEEDED", done.getString("status"));
        assertEquals(Map.of("echo", Map.of("message", "hi")), done.getMap("output"));
        assertEquals(0, done.getInt("exitCode"));
        assertTrue(done.getString("imageDigest").startsWith("sha256:"));
        assertTrue(done.getLong("durationMs") >= 0);
        as(user).get("/api/executions/" + id + "/logs").then().statusCode(200)
                .body(containsString("STDERR stdin: {\"message\":\"hi\"}"))
                .body(containsString("STDOUT working on it"));
        awaitRemoved(id);
    }

    @Test
    void liveLogsStreamAsServerSentEventsOverHttp2UntilDone() throws Exception {
        String id = submit(agent(TestAgents.ECHO), Map.of("message", "live"));
        var client = java.net.http.HttpClient.newHttpClient(); // HTTP/2 (h2c) when the server agrees
        try (LogRecorder errors = LogRecorder.errors()) {
            var live = client.send(events(id, null), java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertEquals(java.net.http.HttpClient.Version.HTTP_2, live.version());
            assertEquals(200, live.statusCode());
            assertTrue(live.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
            List<String> fields = live.body().toList();
            List<String> names = fields.stream().filter(l -> l.startsWith("event:")).toList();
            assertTrue(names.contains("event:log"), fields.toString());
            assertEquals("event:done", names.getLast(), fields.toString());
            assertTrue(fields.contains("data:{\"status\":\"SUCCEEDED\"}"), fields.toString());
            assertTrue(fields.stream().anyMatch(l -> l.startsWith("data:") && l.endsWith("STDOUT working on it")),
                    fields.toString());
            List<String> ids = fields.stream().filter(l -> l.startsWith("id:")).toList();
            assertTrue(ids.size() >= 2, fields.toString());

            // The finished run's stream again, resumed after its first line: the rest, then done.
            List<String> resumed = client.send(events(id, ids.getFirst().substring(3)),
                    java.net.http.HttpResponse.BodyHandlers.ofLines()).body().toList();
            assertEquals(ids.subList(1, ids.size()), resumed.stream().filter(l -> l.startsWith("id:")).toList());
            assertTrue(resumed.contains("event:done"), resumed.toString());
            for (String malformed : List.of("abc", "99999999999", "1e3")) {
                var refused = client.send(events(id, malformed), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(400, refused.statusCode(), malformed);
                assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
            }
            var stranger = client.send(logs(id, "").header("Accept", "text/event-stream")
                    .setHeader("Authorization", "Bearer " + Api.signIn(TestWallet.random())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(404, stranger.statusCode(), stranger.body());

            // Ending the stream is the framework's: nothing fails on the server after the client has it all.
            client.send(events(id, null), java.net.http.HttpResponse.BodyHandlers.discarding());
            as(user).get("/api/executions/" + id).then().statusCode(200);
            assertEquals(List.of(), errors.about(id));
        }
        // The same as text, following until the end.
        as(user).queryParam("follow", true).get("/api/executions/" + id + "/logs").then().statusCode(200)
                .body(containsString("STDOUT working on it")).body(containsString("[SUCCEEDED]"));
    }

    @Test
    void aFollowerWhoseReaderWentAwayStopsQuietlyWhileTheRunGoesOn() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        String agentId = agent(TestAgents.SLOW);
        for (boolean events : List.of(true, false)) {
            String id = submit(agentId, Map.of("message", "x"));
            var request = events ? events(id, null) : logs(id, "?follow=true").header("Accept", "text/plain").build();
            try (LogRecorder errors = LogRecorder.errors()) {
                var body = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines()).body();
                assertTrue(body.anyMatch(line -> line.contains("STDOUT started")));
                body.close(); // the reader goes away; the agent sleeps on, printing nothing
                Await.until(() -> logSubscribers(id), n -> n == 0, Duration.ofSeconds(30),
                        "the follower of " + id + " ending");
                assertEquals("RUNNING", as(user).get("/api/executions/" + id).then().extract().path("status"));
                assertEquals(List.of(), errors.about(id));
            }
            as(user).post("/api/executions/" + id + "/cancel").then().statusCode(200);
        }
    }

    private int logSubscribers(String executionId) {
        return redis.execute("PUBSUB", "NUMSUB", LogSignals.channel(UUID.fromString(executionId))).get(1).toInteger();
    }

    private java.net.http.HttpRequest events(String executionId, String lastEventId) {
        var request = logs(executionId, "").header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return request.build();
    }

    /** A request for the execution's logs, as the user, through java.net.http (HTTP/2 when the server agrees). */
    private java.net.http.HttpRequest.Builder logs(String executionId, String query) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + "/api/executions/" + executionId + "/logs" + query))
                .header("Authorization", "Bearer " + user).timeout(Duration.ofSeconds(60));
    }

    @Test
    void aResultTheDatabaseRefusesEndsTheRunFailedWithEveryLogLineOnce() {
        String agentId = agent(TestAgents.ECHO);
        // The database refuses the first attempt to end this agent's run (a sequence: a trigger's own writes
        // roll back with the statement it fails), as a failover mid-commit would.
        List<String> fault = List.of("CREATE SEQUENCE test_refused_results", """
                CREATE FUNCTION test_refuse_result() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.agent_id = '%s' AND OLD.status = 'RUNNING' AND NEW.status <> 'RUNNING'
                            AND nextval('test_refused_results') = 1 THEN
                        RAISE EXCEPTION 'injected: the result was refused';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(agentId), """
                CREATE TRIGGER test_refuse_result BEFORE UPDATE ON executions
                FOR EACH ROW EXECUTE FUNCTION test_refuse_result()""");
        fault.forEach(this::ddl);
        try {
            String id = submit(agentId, Map.of("message", "refused"));
            JsonPath done = awaitFinal(id);
            assertEquals("FAILED", done.getString("status"));
            assertTrue(done.getString("errorMessage").startsWith("the platform could not run the agent"),
                    done.getString("errorMessage"));
            String logs = as(user).get("/api/executions/" + id + "/logs").then().statusCode(200).extract().asString();
            assertEquals(1, logs.split("STDOUT working on it", -1).length - 1, logs);
            assertEquals(1, logs.split("STDERR stdin: ", -1).length - 1, logs);
            awaitRemoved(id);
        } finally {
            List.of("DROP TRIGGER test_refuse_result ON executions", "DROP FUNCTION test_refuse_result()",
                    "DROP SEQUENCE test_refused_results").forEach(this::ddl);
        }
    }

    private void ddl(String statement) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate());
    }

    @Test
    void failingAgentReportsItsExitCode() {
        JsonPath done = awaitFinal(submit(agent(TestAgents.FAIL), Map.of("message", "x")));
        assertEquals("FAILED", done.getString("status"));
        assertEquals(3, done.getInt("exitCode"));
        assertTrue(done.getString("errorMessage").contains("exited with code 3"));
    }

    @Test
    void slowAgentTimesOut() {
        String agentId = agent(TestAgents.SLOW);
        limit(agentId, "timeoutSeconds", 2);
        JsonPath done = awaitFinal(submit(agentId, Map.of("message", "x")));
        assertEquals("TIMED_OUT", done.getString("status"));
        assertTrue(done.getString("errorMessage").contains("within 2 s"));
    }

    @Test
    void cancelWinsAgainstALogFlood() {
        String id = submit(agent(TestAgents.NOISY), Map.of("message", "x"));
        awaitStatus(id, "RUNNING");
        Await.until(() -> as(user).get("/api/executions/" + id + "/logs").then().extract().asString(),
                logs -> logs.contains("line 1000 of a flood"), Duration.ofSeconds(30), "the flood building up");
        as(user).post("/api/executions/" + id + "/cancel").then().statusCode(200);
        JsonPath done = awaitFinal(id);
        assertEquals("CANCELLED", done.getString("status"));
        as(user).post("/api/executions/" + id + "/cancel").then().statusCode(200); // idempotent
        awaitRemoved(id);
        as(user).get("/api/executions/" + id + "/logs").then().body(containsString("line 0 of a flood"));
    }

    @Test
    void memoryHogIsReportedAsOutOfMemory() {
        String agentId = agent(TestAgents.MEMORY_HOG);
        limit(agentId, "memoryMb", 64);
        JsonPath done = awaitFinal(submit(agentId, Map.of("message", "x")));
        assertEquals("FAILED", done.getString("status"));
        assertTrue(done.getBoolean("oomKilled"));
        assertTrue(done.getString("errorMessage").contains("ran out of memory (limit 64 MiB)"));
    }

    @Test
    void agentLimitsCannotExceedThePlatforms() {
        String agentId = agent(TestAgents.ECHO);
        as(creator).body(Map.of("memoryMb", 1024, "timeoutSeconds", 301)).put("/api/agents/" + agentId).then()
                .statusCode(400).body("errors.field", equalTo(List.of("memoryMb", "timeoutSeconds")));
    }

    @Test
    void agentIsIsolated() {
        JsonPath done = awaitFinal(submit(agent(TestAgents.PROBE), Map.of("message", "x")));
        assertEquals("SUCCEEDED", done.getString("status"));
        assertEquals(Map.of("uid", 65534, "rootWritable", false, "tmpWritable", true, "interfaces", "lo "),
                done.getMap("output"));
    }

    @Test
    void outputThatIsNotJsonFailsTheRun() {
        JsonPath done = awaitFinal(submit(agent(TestAgents.INVALID_OUTPUT), Map.of("message", "x")));
        assertEquals("FAILED", done.getString("status"));
        assertTrue(done.getString("errorMessage").contains("not a JSON object"));
    }

    @Test
    void outputAboveOneMebibyteFailsTheRun() {
        JsonPath done = awaitFinal(submit(agent(TestAgents.HUGE_OUTPUT), Map.of("message", "x")));
        assertEquals("FAILED", done.getString("status"));
        assertTrue(done.getString("errorMessage").contains("larger than 1048576 bytes"), done.getString("errorMessage"));
    }

    @Test
    void outputViolatingTheSchemaFailsTheRun() {
        String agentId = agent(TestAgents.ECHO, Map.of("type", "object", "required", List.of("answer")));
        JsonPath done = awaitFinal(submit(agentId, Map.of("message", "x")));
        assertEquals("FAILED", done.getString("status"));
        assertTrue(done.getString("errorMessage").contains("outputSchema"), done.getString("errorMessage"));
    }

    @Test
    void inputMustMatchTheSchemaAndFitTheCap() {
        String agentId = agent(TestAgents.ECHO);
        as(user).body(Map.of("agentId", agentId, "input", Map.of("message", 42))).post("/api/executions").then()
                .statusCode(400).body("errors[0].field", equalTo("input.message"));
        as(user).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then().statusCode(400)
                .body("errors[0].message", containsString("message"));
        as(user).body(Map.of("agentId", agentId, "input", Map.of("message", "x".repeat(300_000))))
                .post("/api/executions").then().statusCode(413);
    }

    @Test
    void runningNeedsAnEntitlement() {
        Map<String, Object> body = agentBody("Not bought");
        body.put("dockerImage", TestAgents.ECHO);
        String agentId = createAgent(creator, body);
        as(user).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then().statusCode(403)
                .body("detail", containsString("entitlement"));
        io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then().statusCode(401);
        // Its creator may try it out.
        as(creator).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then().statusCode(202);
    }

    @Test
    void idempotencyKeyReturnsTheSameExecution() {
        String agentId = agent(TestAgents.ECHO);
        String first = as(user).header("Idempotency-Key", "run-42").body(Map.of("agentId", agentId, "input",
                Map.of("message", "x"))).post("/api/executions").then().statusCode(202).extract().path("id");
        as(user).header("Idempotency-Key", "run-42").body(Map.of("agentId", agentId, "input", Map.of("message", "x")))
                .post("/api/executions").then().statusCode(202).body("id", equalTo(first));
    }

    @Test
    void executionsArePrivateAndFinishedOnesCannotBeCancelled() {
        String id = submit(agent(TestAgents.ECHO), Map.of("message", "x"));
        awaitFinal(id);
        String stranger = Api.signIn(TestWallet.random());
        as(stranger).get("/api/executions/" + id).then().statusCode(404);
        as(stranger).get("/api/executions/" + id + "/logs").then().statusCode(404);
        as(stranger).post("/api/executions/" + id + "/cancel").then().statusCode(404);
        as(Api.admin()).get("/api/executions/" + id).then().statusCode(200);
        as(user).post("/api/executions/" + id + "/cancel").then().statusCode(409);
        as(user).queryParam("status", "succeeded").get("/api/executions").then().statusCode(200)
                .body("executions.id", org.hamcrest.Matchers.hasItem(id));
        as(user).queryParam("status", "sleeping").get("/api/executions").then().statusCode(400);
    }

    @Test
    void everyQueuedExecutionRunsExactlyOnce() {
        String agentId = agent(TestAgents.ECHO);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submit(agentId, Map.of("message", "run " + i)));
        }
        for (String id : ids) {
            assertEquals("SUCCEEDED", awaitFinal(id).getString("status"));
            String logs = as(user).get("/api/executions/" + id + "/logs").then().extract().asString();
            assertEquals(1, logs.split("STDOUT working on it", -1).length - 1, "ran once: " + id);
        }
        as(creator).get("/api/agents/" + agentId + "/stats").then().body("executions", equalTo(6))
                .body("succeeded", equalTo(6)).body("successRate", equalTo(1.0f));
    }

    @Test
    void manyRunsPrintingMegabytesBeforeTheirResultAllKeepIt() {
        String agentId = agent(TestAgents.CHATTY);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(submit(agentId, Map.of("message", "run " + i)));
        }
        for (int i = 0; i < ids.size(); i++) {
            JsonPath done = awaitFinal(ids.get(i), Duration.ofMinutes(3));
            assertEquals("SUCCEEDED", done.getString("status"), ids.get(i) + ": " + done.getString("errorMessage"));
            assertEquals(Map.of("done", Map.of("message", "run " + i)), done.getMap("output"));
        }
    }

    @Test
    void nulBytesInAgentOutputAreStoredAndTheRunSucceeds() {
        String id = submit(agent(TestAgents.NUL_OUTPUT), Map.of("message", "x"));
        JsonPath done = awaitFinal(id);
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("errorMessage"));
        assertEquals(Map.of("text", "a\uFFFDb", "k\uFFFDy", 1), done.getMap("output"));
        as(user).get("/api/executions/" + id + "/logs").then().statusCode(200)
                .body(containsString("STDOUT before\uFFFDafter")).body(containsString("STDERR warn\uFFFDing"));
    }

    @Test
    void inputTooLargeForAnEnvironmentVariableComesOnStdinAlone() {
        String message = "x".repeat(200_000);
        JsonPath done = awaitFinal(submit(agent(TestAgents.INPUT_SIZES), Map.of("message", message)));
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("errorMessage"));
        int inputBytes = "{\"message\":\"\"}".length() + message.length();
        assertEquals(Map.of("stdinBytes", inputBytes, "envBytes", 0, "inputOnStdin", "1"), done.getMap("output"));
        // Small input still comes in INPUT as well.
        JsonPath small = awaitFinal(submit(agent(TestAgents.INPUT_SIZES), Map.of("message", "hi")));
        assertEquals(Map.of("stdinBytes", 16, "envBytes", 16, "inputOnStdin", ""), small.getMap("output"));
    }

    @Test
    void volumeDeclaredByTheImageIsASizeCappedTmpfs() {
        JsonPath done = awaitFinal(submit(agent(TestAgents.VOLUME_WRITER), Map.of("message", "x")));
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("errorMessage"));
        assertEquals(Map.of("dataFs", "tmpfs", "wrote100MiB", false), done.getMap("output"));
    }

    @Test
    void theContainerRunsTheImageIdThatIsRecorded() {
        String agentId = agent(TestAgents.SLOW);
        limit(agentId, "timeoutSeconds", 5);
        String id = submit(agentId, Map.of("message", "x"));
        String[] started = awaitContainer(UUID.fromString(id));
        assertEquals(started[1], TestAgents.docker("inspect", "-f",
                "{{.Config.Image}}", started[0]), "created from the id, not the tag");
        assertEquals(runtime.ensureImage(TestAgents.SLOW), started[1]);
        JsonPath done = awaitFinal(id);
        assertEquals(started[1], done.getString("imageDigest"));
    }

    /** The container id and image id recorded once the run's container exists. */
    private String[] awaitContainer(UUID executionId) {
        Object[] row = Await.until(() -> QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                        "SELECT container_id, image_digest FROM executions WHERE id = ?1")
                        .setParameter(1, executionId).getSingleResult()),
                r -> r[0] != null, Duration.ofSeconds(30), "execution " + executionId + " getting a container");
        return new String[] {(String) row[0], (String) row[1]};
    }
}
