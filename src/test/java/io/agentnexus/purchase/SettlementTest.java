package io.agentnexus.purchase;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Await;
import io.agentnexus.support.Concurrently;
import io.agentnexus.support.MovableClock;
import io.agentnexus.support.Payments;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.agentnexus.webhook.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access purchases settle by themselves when the 72 h dispute window closes, by the outcome of the buyer's
 * runs; a dispute hands the decision to an admin. Time moves on the chain and on the service's clock alike.
 */
@QuarkusTest
class SettlementTest {

    private static final String PRICE = "10000000000000000"; // 0.01 ETH
    private static final Duration PAST_THE_WINDOW = Duration.ofHours(72).plusMinutes(1);

    @Inject
    ContainerRuntime runtime;

    @Inject
    Settler settler;

    private Payments.Party creator;
    private Payments.Party buyer;

    @BeforeEach
    void creatorAndBuyer() {
        TestAgents.build(runtime);
        creator = Payments.newCreator();
        buyer = Payments.newBuyer();
    }

    @AfterEach
    void clockBack() {
        MovableClock.reset();
    }

    private String agent(String image) {
        Map<String, Object> body = agentBody("Settled " + image.substring(image.indexOf('/') + 1));
        body.put("price", PRICE);
        body.put("dockerImage", image);
        return createAgent(creator.token(), body);
    }

    private String run(String agentId) {
        String id = as(buyer.token()).body(Map.of("agentId", agentId, "input", Map.of("message", "hi")))
                .post("/api/executions").then().statusCode(202).extract().path("id");
        return Api.awaitExecution(buyer.token(), id).getString("status");
    }

    private static void windowCloses() {
        TestChain.increaseTime(PAST_THE_WINDOW.toSeconds());
        MovableClock.advance(PAST_THE_WINDOW);
    }

    @Test
    void aPurchaseWithASuccessfulRunIsReleasedToTheCreatorWhenTheWindowCloses() {
        String agentId = agent(TestAgents.ECHO);
        JsonPath purchase = Payments.buy(buyer.token(), buyer.wallet(), agentId);
        Instant windowEnd = Instant.parse(purchase.getString("disputeWindowEndsAt"));
        assertEquals(Duration.ofHours(72), Duration.between(Instant.parse(purchase.getString("confirmedAt")), windowEnd));
        assertEquals("SUCCEEDED", run(agentId));
        BigInteger creatorBefore = TestChain.balance(creator.wallet().address());

        windowCloses();

        JsonPath released = Payments.awaitPurchase(buyer.token(), purchase.getString("id"), "RELEASED");
        assertTrue(released.getString("settlementReason").contains("1 of the buyer's 1 run(s) succeeded"),
                released.getString("settlementReason"));
        assertEquals(creatorBefore.add(Payments.creatorShare(PRICE)), TestChain.balance(creator.wallet().address()));
        assertTrue(TestChain.hasValidToken(buyer.wallet().address(), chainAgentId(agentId))); // released: the access stays
        // Settled: nothing left to dispute.
        as(buyer.token()).body(Map.of("reason", "too late")).post("/api/purchases/" + purchase.getString("id") + "/dispute")
                .then().statusCode(409);
    }

    @Test
    void aPurchaseWhoseRunsAllFailedIsRefundedAndItsAccessRevoked() {
        String agentId = agent(TestAgents.FAIL);
        JsonPath purchase = Payments.buy(buyer.token(), buyer.wallet(), agentId);
        assertEquals("FAILED", run(agentId));
        assertEquals("FAILED", run(agentId));
        BigInteger buyerBefore = TestChain.balance(buyer.wallet().address());

        windowCloses();

        JsonPath refunded = Payments.awaitPurchase(buyer.token(), purchase.getString("id"), "REFUNDED");
        assertTrue(refunded.getString("settlementReason").contains("all 2 run(s) the buyer tried failed"),
                refunded.getString("settlementReason"));
        assertEquals(buyerBefore.add(new BigInteger(PRICE)), TestChain.balance(buyer.wallet().address()));
        assertFalse(TestChain.hasValidToken(buyer.wallet().address(), chainAgentId(agentId)));
        as(buyer.token()).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then().statusCode(403);
    }

    @Test
    void aPurchaseTheBuyerNeverRanIsReleasedOnceThoughSettlersRace() {
        JsonPath purchase = Payments.buy(buyer.token(), buyer.wallet(), agent(TestAgents.ECHO));
        BigInteger creatorBefore = TestChain.balance(creator.wallet().address());

        windowCloses();
        // Four settlers at once (as four replicas would), besides the scheduled one: the claims keep them apart.
        List<UUID> settled = Concurrently.together(4, i -> settler.settleDue()).stream().flatMap(List::stream).toList();
        assertTrue(settled.stream().filter(UUID.fromString(purchase.getString("id"))::equals).count() <= 1, settled.toString());

        JsonPath released = Payments.awaitPurchase(buyer.token(), purchase.getString("id"), "RELEASED");
        assertTrue(released.getString("settlementReason").contains("the buyer did not run the agent"),
                released.getString("settlementReason"));
        assertEquals(creatorBefore.add(Payments.creatorShare(PRICE)), TestChain.balance(creator.wallet().address()));
    }

    @Test
    void aDisputedPurchaseWaitsForAnAdminAndTheBuyerHearsOfEachStep() {
        WebhookReceiver receiver = WebhookReceiver.start();
        String secret = as(buyer.token()).body(Map.of("url", receiver.url("/purchases"), "events",
                        List.of("purchase.confirmed", "purchase.disputed", "purchase.released", "purchase.refunded")))
                .post("/api/webhooks").then().statusCode(201).extract().path("secret");
        String agentId = agent(TestAgents.ECHO);
        String id = Payments.buy(buyer.token(), buyer.wallet(), agentId).getString("id");
        String dispute = "/api/purchases/" + id + "/dispute";
        as(buyer.token()).body(Map.of("reason", " ")).post(dispute).then().statusCode(400);
        as(Api.signIn(TestWallet.random())).body(Map.of("reason", "not mine")).post(dispute).then().statusCode(404);
        as(buyer.token()).body(Map.of("reason", "the output is nonsense")).post(dispute).then().statusCode(200)
                .body("status", equalTo("DISPUTED")).body("disputeReason", equalTo("the output is nonsense"));
        as(buyer.token()).body(Map.of("reason", "again")).post(dispute).then().statusCode(409);
        // Delivered before the service's clock moves: the receiver checks that each signature's time is fresh.
        Await.until(() -> receiver.at("/purchases"), r -> r.size() >= 2, Duration.ofSeconds(30), "two purchase events");

        windowCloses();
        settler.settleDue(); // a pass after the window: it leaves the disputed purchase alone
        as(buyer.token()).get("/api/purchases/" + id).then().body("status", equalTo("DISPUTED"));

        MovableClock.reset(); // back to now: the receiver checks that signatures are fresh
        BigInteger buyerBefore = TestChain.balance(buyer.wallet().address());
        as(buyer.token()).post("/api/admin/purchases/" + id + "/refund").then().statusCode(403);
        as(Api.admin()).post("/api/admin/purchases/" + id + "/refund").then().statusCode(200)
                .body("status", equalTo("REFUNDED"))
                .body("settlementReason", equalTo("refunded by an admin after the buyer's dispute"));
        assertEquals(buyerBefore.add(new BigInteger(PRICE)), TestChain.balance(buyer.wallet().address()));

        List<WebhookReceiver.Received> events = Await.until(() -> receiver.at("/purchases"), r -> r.size() >= 3,
                Duration.ofSeconds(30), "three purchase events");
        receiver.close();
        Map<String, JsonPath> byType = events.stream().map(e -> JsonPath.from(e.body()))
                .collect(java.util.stream.Collectors.toMap(e -> e.getString("type"), e -> e));
        assertEquals(java.util.Set.of("purchase.confirmed", "purchase.disputed", "purchase.refunded"), byType.keySet());
        assertTrue(events.stream().allMatch(e -> WebhookReceiver.verified(e, secret)));
        assertTrue(byType.values().stream().allMatch(e -> id.equals(e.getString("data.id"))));
        assertEquals("the output is nonsense", byType.get("purchase.disputed").getString("data.disputeReason"));
        assertEquals("REFUNDED", byType.get("purchase.refunded").getString("data.status"));
    }

    @Test
    void theDisputeWindowCloses() {
        String id = Payments.buy(buyer.token(), buyer.wallet(), agent(TestAgents.ECHO)).getString("id");
        MovableClock.advance(PAST_THE_WINDOW);
        // Refused whether the settler has released it already ("RELEASED") or not yet ("closed").
        as(buyer.token()).body(Map.of("reason", "late")).post("/api/purchases/" + id + "/dispute").then().statusCode(409)
                .body("detail", anyOf(containsString("closed"), containsString("RELEASED")));
    }

    private long chainAgentId(String agentId) {
        return ((Number) as(creator.token()).get("/api/agents/" + agentId).then().extract().path("chainAgentId")).longValue();
    }
}
