package io.agentnexus.webhook;

import static io.agentnexus.support.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With private addresses not allowed (production's setting): refused when given, and when reached. */
@QuarkusTest
@TestProfile(PrivateAddressesRefusedTest.Production.class)
class PrivateAddressesRefusedTest {

    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentnexus.webhooks.allow-private-addresses", "false");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RebindingResolver.class);
        }
    }

    @Inject
    WebhookOutbox outbox;

    @Test
    void loopbackAndPrivateUrlsAreRefused() {
        String user = Api.signIn(TestWallet.random());
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/hook",
                "http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://[::ffff:127.0.0.1]/")) {
            as(user).body(Map.of("url", url, "events", List.of("execution.failed"))).post("/api/webhooks")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("url"))
                    .body("errors[0].message", containsString("may not reach"));
        }
        String creator = Api.newCreator();
        String agentId = Api.createAgent(creator, Api.agentBody("Private webhook"));
        as(creator).body(Map.of("agentId", agentId, "input", Map.of(), "webhook", "http://127.0.0.1:9/"))
                .post("/api/executions").then().statusCode(400).body("errors[0].field", equalTo("webhook"));
    }

    @Test
    void aHostThatLaterResolvesToLoopbackIsRefusedAtDelivery() {
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            String user = Api.signIn(TestWallet.random());
            UUID userId = UUID.fromString(as(user).get("/api/users/me").then().extract().path("id"));
            String subscription = as(user).body(Map.of("url", "http://" + RebindingResolver.HOST + ":" + receiver.port()
                            + "/hook", "events", List.of("purchase.confirmed")))
                    .post("/api/webhooks").then().statusCode(201).extract().path("id");

            QuarkusTransaction.requiringNew().run(() -> outbox.publish(userId, WebhookEventType.PURCHASE_CONFIRMED,
                    Map.of("purchaseId", "p-1"), null));

            JsonPath log = Await.until(() -> as(user).get("/api/webhooks/" + subscription + "/deliveries")
                            .then().statusCode(200).extract().jsonPath(),
                    l -> l.get("deliveries[0].lastError") != null, Duration.ofSeconds(30), "the refused attempt");
            assertTrue(log.getString("deliveries[0].lastError").contains("resolves to 127.0.0.1"), log.prettify());
            assertEquals(List.of(), receiver.received());
        }
    }
}
