package io.agentnexus.webhook;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestWallet;
import io.agentnexus.webhook.WebhookReceiver.Answer;
import io.agentnexus.webhook.WebhookReceiver.Received;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real receiver on loopback: signed, retried, logged, redelivered, never redirected. */
@QuarkusTest
class WebhookDeliveryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ContainerRuntime runtime;

    @Inject
    WebhookOutbox outbox;

    private WebhookReceiver receiver;
    private String user;
    private UUID userId;

    @BeforeEach
    void setUp() {
        receiver = WebhookReceiver.start();
        user = Api.signIn(TestWallet.random());
        userId = UUID.fromString(as(user).get("/api/users/me").then().extract().path("id"));
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aRunsOwnWebhookAndASubscriptionBothGetItsEventsSigned() {
        TestAgents.build(runtime);
        String creator = Api.newCreator();
        Map<String, Object> agent = agentBody("Webhook echo");
        agent.put("dockerImage", TestAgents.ECHO);
        String agentId = createAgent(creator, agent);
        // by name: the request must reach the address that was checked while keeping the URL's Host
        String subscriptionUrl = "http://localhost:" + receiver.port() + "/subscription";
        String subscriptionSecret = as(creator).body(Map.of("url", subscriptionUrl,
                        "events", List.of("execution.started", "execution.succeeded")))
                .post("/api/webhooks").then().statusCode(201).extract().path("secret");

        String executionId = as(creator).body(Map.of("agentId", agentId, "input", Map.of("message", "hi"),
                        "webhook", receiver.url("/run")))
                .post("/api/executions").then().statusCode(202).extract().path("id");
        assertEquals("SUCCEEDED", Api.awaitExecution(creator, executionId).getString("status"));

        Await.until(receiver::received, r -> r.size() >= 4, PATIENCE, "four deliveries");
        String runSecret = as(creator).get("/api/webhooks/secret").then().statusCode(200).extract().path("key");
        for (var destination : Map.of("/run", runSecret, "/subscription", subscriptionSecret).entrySet()) {
            List<Received> got = receiver.at(destination.getKey());
            // sent in parallel when both are due: in either order
            assertEquals(List.of("execution.started", "execution.succeeded"),
                    got.stream().map(r -> JsonPath.from(r.body()).getString("type")).sorted().toList(),
                    destination.getKey());
            for (Received request : got) {
                assertTrue(WebhookReceiver.verified(request, destination.getValue()), request.toString());
                assertTrue(request.id().startsWith("msg_"), request.id());
                assertEquals("application/json", request.contentType());
                JsonPath body = JsonPath.from(request.body());
                assertEquals(executionId, body.getString("data.id"));
                assertEquals(agentId, body.getString("data.agentId"));
            }
            JsonPath succeeded = got.stream().map(r -> JsonPath.from(r.body()))
                    .filter(b -> b.getString("type").equals("execution.succeeded")).findFirst().orElseThrow();
            assertEquals("SUCCEEDED", succeeded.getString("data.status"));
            assertEquals(Map.of("message", "hi"), succeeded.getMap("data.output.echo"));
        }
        assertEquals("localhost:" + receiver.port(), receiver.at("/subscription").getFirst().host());
        as(creator).queryParam("executionId", executionId).get("/api/webhooks/deliveries").then().statusCode(200)
                .body("total", equalTo(2)).body("deliveries.status", equalTo(List.of("DELIVERED", "DELIVERED")))
                .body("deliveries.eventType", equalTo(List.of("execution.succeeded", "execution.started")))
                .body("deliveries[0].subscriptionId", equalTo(null));
    }

    @Test
    void aRunsWebhookIsCheckedWhenTheRunIsSubmitted() {
        String creator = Api.newCreator();
        String agentId = createAgent(creator, agentBody("Webhook checks"));
        as(creator).body(Map.of("agentId", agentId, "input", Map.of(), "webhook", "ftp://example.com/"))
                .post("/api/executions").then().statusCode(400).body("errors[0].field", equalTo("webhook"));
        as(creator).body(Map.of("agentId", agentId, "input", Map.of(), "webhook", receiver.url("/run"),
                        "webhookEvents", List.of("purchase.confirmed")))
                .post("/api/executions").then().statusCode(400).body("errors[0].field", equalTo("webhookEvents"))
                .body("errors[0].message", containsString("execution.succeeded"));
        as(creator).body(Map.of("agentId", agentId, "input", Map.of(), "webhookEvents", List.of("execution.failed")))
                .post("/api/executions").then().statusCode(400).body("errors[0].field", equalTo("webhookEvents"));
    }

    @Test
    void aFailedAttemptIsRetriedAndTheLogShowsIt() {
        AtomicInteger calls = new AtomicInteger();
        // Only this test's event counts: a retry of an earlier test's delivery may reach this receiver meanwhile
        // (on the same path, if the port of a receiver closed before is handed out again).
        String purchaseId = UUID.randomUUID().toString();
        receiver.answer(r -> Answer.of(r.body().contains(purchaseId) && calls.getAndIncrement() == 0 ? 500 : 200));
        JsonPath created = as(user).body(Map.of("url", receiver.url("/hook"), "events", List.of("purchase.confirmed")))
                .post("/api/webhooks").then().statusCode(201).extract().jsonPath();
        String subscription = created.getString("id");

        publish(WebhookEventType.PURCHASE_CONFIRMED, purchaseId);

        JsonPath log = awaitDelivery(subscription, "DELIVERED");
        assertEquals(2, log.getInt("deliveries[0].attempts"), log.prettify());
        assertEquals(200, log.getInt("deliveries[0].lastStatusCode"));
        List<Received> got = receiver.at("/hook").stream().filter(r -> r.body().contains(purchaseId)).toList();
        assertEquals(2, got.size());
        assertEquals(got.get(0).id(), got.get(1).id());
        assertEquals(got.get(0).body(), got.get(1).body());
        assertEquals(log.getString("deliveries[0].id"), got.get(0).id());
        assertTrue(got.stream().allMatch(r -> WebhookReceiver.verified(r, created.getString("secret"))));
    }

    @Test
    void everyAnsweredAttemptCountsOnce() {
        // Many short answers at once, sent in parallel batches: a 2xx recorded as a failure is sent again.
        int events = 100;
        String subscription = subscribe(receiver.url("/many"), List.of("purchase.confirmed"));
        for (int i = 0; i < events; i++) {
            publish(WebhookEventType.PURCHASE_CONFIRMED);
        }
        JsonPath log = Await.until(() -> as(user).queryParam("size", events)
                        .get("/api/webhooks/" + subscription + "/deliveries").then().statusCode(200).extract().jsonPath(),
                l -> l.getInt("total") == events && l.getList("deliveries.status").stream().allMatch("DELIVERED"::equals),
                PATIENCE, events + " deliveries");
        assertEquals(List.of(1), log.getList("deliveries.attempts").stream().distinct().toList(), log.prettify());
        assertEquals(events, receiver.at("/many").size());
    }

    @Test
    void anEventGoesOnlyToSubscriptionsOfItsType() {
        subscribe(receiver.url("/failed"), List.of("execution.failed"));
        String refunds = subscribe(receiver.url("/refunds"), List.of("purchase.refunded"));
        publish(WebhookEventType.PURCHASE_REFUNDED);
        awaitDelivery(refunds, "DELIVERED");
        assertEquals(List.of("/refunds"), receiver.received().stream().map(Received::path).toList());
    }

    @Test
    void aRedeliveryKeepsTheWebhookIdAndPayload() {
        String subscription = subscribe(receiver.url("/hook"), List.of("purchase.released"));
        publish(WebhookEventType.PURCHASE_RELEASED);
        String deliveryId = awaitDelivery(subscription, "DELIVERED").getString("deliveries[0].id");

        as(user).post("/api/webhooks/deliveries/" + deliveryId + "/redeliver").then().statusCode(202)
                .body("id", equalTo(deliveryId)).body("status", equalTo("PENDING"));
        Await.until(receiver::received, r -> r.size() == 2, PATIENCE, "the redelivery");
        List<Received> got = receiver.received();
        assertEquals(List.of(deliveryId, deliveryId), got.stream().map(Received::id).toList());
        assertEquals(got.get(0).body(), got.get(1).body());
        awaitDelivery(subscription, "DELIVERED");

        String other = Api.signIn(TestWallet.random());
        as(other).post("/api/webhooks/deliveries/" + deliveryId + "/redeliver").then().statusCode(404);
        as(other).get("/api/webhooks/deliveries").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aRedirectIsNotFollowed() {
        try (WebhookReceiver elsewhere = WebhookReceiver.start()) {
            receiver.answer(r -> new Answer(307, elsewhere.url("/stolen")));
            String subscription = subscribe(receiver.url("/hook"), List.of("purchase.disputed"));
            publish(WebhookEventType.PURCHASE_DISPUTED);

            JsonPath log = Await.until(() -> deliveries(subscription),
                    l -> Integer.valueOf(307).equals(l.get("deliveries[0].lastStatusCode")), PATIENCE,
                    "the redirect recorded as a failed attempt");
            assertEquals("PENDING", log.getString("deliveries[0].status"));
            assertTrue(log.getString("deliveries[0].lastError").startsWith("HTTP 307"), log.prettify());
            assertEquals(List.of(), elsewhere.received());
        }
    }

    @Test
    void aReceiverSlowerThanTheTimeoutIsAFailedAttempt() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        receiver.answer(r -> {
            try {
                release.await(30, TimeUnit.SECONDS); // holds the delivery open until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.of(200);
        });
        String subscription = subscribe(receiver.url("/slow"), List.of("purchase.confirmed"));
        publish(WebhookEventType.PURCHASE_CONFIRMED);
        JsonPath log = Await.until(() -> deliveries(subscription), l -> l.get("deliveries[0].lastError") != null,
                PATIENCE, "the timeout recorded");
        assertTrue(log.getString("deliveries[0].lastError").startsWith("no answer within"), log.prettify());
        release.countDown();
    }

    private String subscribe(String url, List<String> events) {
        return as(user).body(Map.of("url", url, "events", events)).post("/api/webhooks")
                .then().statusCode(201).extract().path("id");
    }

    private void publish(WebhookEventType type) {
        publish(type, UUID.randomUUID().toString());
    }

    private void publish(WebhookEventType type, String purchaseId) {
        QuarkusTransaction.requiringNew().run(() -> outbox.publish(userId, type,
                Map.of("purchaseId", purchaseId, "amount", "1000"), null));
    }

    private JsonPath deliveries(String subscription) {
        return as(user).get("/api/webhooks/" + subscription + "/deliveries").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath awaitDelivery(String subscription, String status) {
        return Await.until(() -> deliveries(subscription), l -> status.equals(l.getString("deliveries[0].status")),
                PATIENCE, "delivery " + status);
    }
}
