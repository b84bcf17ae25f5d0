package io.agentnexus.webhook;

import static io.agentnexus.support.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions through the API: who may see and change them, and what is refused. */
@QuarkusTest
class WebhookResourceTest {

    private static final String URL = "http://127.0.0.1:9/hooks";

    private String user;

    @BeforeEach
    void signIn() {
        user = Api.signIn(TestWallet.random());
    }

    private String subscribe(String token, List<String> events) {
        return as(token).body(Map.of("url", URL, "events", events)).post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void createShowsTheSecretOnceAndTheLocation() {
        as(user).body(Map.of("url", URL, "events", List.of("execution.succeeded", "purchase.confirmed"),
                        "description", "my hook"))
                .post("/api/webhooks")
                .then().statusCode(201)
                .header("Location", containsString("/api/webhooks/"))
                .body("secret", startsWith("whsec_"))
                .body("events", equalTo(List.of("execution.succeeded", "purchase.confirmed")))
                .body("enabled", equalTo(true));
        as(user).get("/api/webhooks").then().statusCode(200)
                .body("webhooks", hasSize(1)).body("total", equalTo(1)).body("page", equalTo(0))
                .body("webhooks[0].secret", nullValue()).body("webhooks[0].description", equalTo("my hook"));
    }

    @Test
    void patchChangesOnlyTheFieldsGiven() {
        String id = subscribe(user, List.of("execution.failed"));
        as(user).body(Map.of("enabled", false)).patch("/api/webhooks/" + id).then().statusCode(200)
                .body("enabled", equalTo(false)).body("url", equalTo(URL))
                .body("events", equalTo(List.of("execution.failed")));
        as(user).body(Map.of("events", List.of("purchase.refunded"))).patch("/api/webhooks/" + id)
                .then().statusCode(200).body("events", equalTo(List.of("purchase.refunded")))
                .body("enabled", equalTo(false));
    }

    @Test
    void rotateGivesANewSecret() {
        String first = as(user).body(Map.of("url", URL, "events", List.of("execution.failed"))).post("/api/webhooks")
                .then().statusCode(201).extract().path("secret");
        String id = as(user).get("/api/webhooks").then().extract().path("webhooks[0].id");
        as(user).post("/api/webhooks/" + id + "/secret/rotate").then().statusCode(200)
                .body("secret", startsWith("whsec_")).body("secret", org.hamcrest.Matchers.not(equalTo(first)));
    }

    @Test
    void deleteRemovesIt() {
        String id = subscribe(user, List.of("execution.failed"));
        as(user).delete("/api/webhooks/" + id).then().statusCode(204);
        as(user).get("/api/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void anotherUsersSubscriptionIsNotFound() {
        String id = subscribe(user, List.of("execution.failed"));
        String other = Api.signIn(TestWallet.random());
        as(other).get("/api/webhooks/" + id).then().statusCode(404).contentType("application/problem+json");
        as(other).body(Map.of("enabled", false)).patch("/api/webhooks/" + id).then().statusCode(404);
        as(other).delete("/api/webhooks/" + id).then().statusCode(404);
        as(other).get("/api/webhooks/" + id + "/deliveries").then().statusCode(404);
        as(other).post("/api/webhooks/" + id + "/secret/rotate").then().statusCode(404);
        as(other).get("/api/webhooks").then().statusCode(200).body("total", equalTo(0));
        as(user).get("/api/webhooks/" + id).then().statusCode(200);
    }

    @Test
    void anUnknownEventTypeIsRefusedNamingTheValidOnes() {
        as(user).body(Map.of("url", URL, "events", List.of("execution.exploded"))).post("/api/webhooks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("events"))
                .body("errors[0].message", containsString("execution.timed_out"))
                .body("errors[0].message", containsString("purchase.disputed"));
    }

    @Test
    void badUrlsAndMissingFieldsAreRefused() {
        for (String url : List.of("ftp://example.com/", "http://user:secret@example.com/", "not a url")) {
            as(user).body(Map.of("url", url, "events", List.of("execution.failed"))).post("/api/webhooks")
                    .then().statusCode(400).body("errors[0].field", equalTo("url"));
        }
        as(user).body(Map.of("url", URL, "events", List.of())).post("/api/webhooks").then().statusCode(400);
        as(user).body(Map.of("events", List.of("execution.failed"))).post("/api/webhooks").then().statusCode(400);
    }

    @Test
    void theAccountSecretIsCreatedOnceAndKept() {
        String key = as(user).get("/api/webhooks/secret").then().statusCode(200)
                .body("key", startsWith("whsec_")).extract().path("key");
        as(user).get("/api/webhooks/secret").then().statusCode(200).body("key", equalTo(key));
    }

    @Test
    void everyEndpointWantsASignedInUser() {
        RestAssured.get("/api/webhooks").then().statusCode(401);
        RestAssured.get("/api/webhooks/secret").then().statusCode(401);
        RestAssured.get("/api/webhooks/deliveries").then().statusCode(401);
    }
}
