package io.agentnexus.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The steps most tests share, done through the public API as a client would. */
public final class Api {

    private Api() {
    }

    /** The full Sign-In with Ethereum round trip; returns the bearer token. */
    public static String signIn(TestWallet wallet) {
        String message = given().queryParam("address", wallet.address())
                .when().get("/api/users/auth/nonce")
                .then().statusCode(200).extract().path("message");
        return given().contentType(ContentType.JSON)
                .body(Map.of("message", message, "signature", wallet.sign(message)))
                .when().post("/api/users/auth")
                .then().statusCode(200).extract().path("token");
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** A new wallet with the creator role, signed in. */
    public static String newCreator() {
        TestWallet wallet = TestWallet.random();
        as(admin()).put("/api/admin/creators/" + wallet.address()).then().statusCode(200);
        return signIn(wallet);
    }

    public static String admin() {
        return signIn(TestWallet.ADMIN);
    }

    /** A valid create-agent body; override fields by putting them into the returned map. */
    public static Map<String, Object> agentBody(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("description", "An agent made by a test, long enough to be valid.");
        body.put("category", "UTILITY");
        body.put("price", "1000000000000000");
        body.put("dockerImage", "agentnexus/echo:1.0.0");
        body.put("inputSchema", Map.of("type", "object"));
        body.put("outputSchema", Map.of("type", "object"));
        return body;
    }

    /** Creates an agent as the given creator and returns its id. */
    public static String createAgent(String token, Map<String, Object> body) {
        return as(token).body(body).when().post("/api/agents").then().statusCode(201).extract().path("id");
    }

    /** A free agent (anyone signed in may run it) of the given image, created by the creator; its id. */
    public static String freeAgent(String creator, String image) {
        Map<String, Object> body = agentBody("Free " + image);
        body.put("dockerImage", image);
        body.put("price", "0");
        return createAgent(creator, body);
    }

    /** Polls the execution until it reaches a final status (at most {@code patience}); its last view. */
    public static JsonPath awaitExecution(String token, String executionId, Duration patience) {
        return Await.until(() -> as(token).get("/api/executions/" + executionId).then().statusCode(200).extract().jsonPath(),
                execution -> !List.of("AWAITING_PAYMENT", "QUEUED", "RUNNING").contains(execution.getString("status")), patience,
                "execution " + executionId + " finishing");
    }

    public static JsonPath awaitExecution(String token, String executionId) {
        return awaitExecution(token, executionId, Duration.ofSeconds(60));
    }
}
