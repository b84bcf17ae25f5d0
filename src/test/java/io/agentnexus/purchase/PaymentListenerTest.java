package io.agentnexus.purchase;

import static io.agentnexus.purchase.PurchaseFlowTest.awaitStatus;
import static io.agentnexus.purchase.PurchaseFlowTest.sleep;
import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Api;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

@QuarkusTest
class PaymentListenerTest {

    @Inject
    Scheduler scheduler;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    /** Anyone can deposit anything: a deposit with an agent id beyond Java's long must not stop the listener. */
    @Test
    void aHostileDepositIsSkippedAndCountedAndLaterDepositsStillConfirm() {
        double skippedBefore = skipped("unknown-payment");
        TestWallet hostile = fundedWallet();
        TransactionReceipt hostileDeposit = TestChain.depositPayment(hostile,
                hostile.address().toLowerCase() + "ab".repeat(12), BigInteger.TWO.pow(63), BigInteger.ONE);
        assertTrue(hostileDeposit.isStatusOK(), "the escrow takes it");

        String agentId = pricedAgent();
        TestWallet buyer = fundedWallet();
        String token = Api.signIn(buyer);
        JsonPath purchase = as(token).body(Map.of("agentId", agentId)).post("/api/purchases").then().statusCode(201)
                .extract().jsonPath();
        TestChain.send(buyer, purchase.getMap("transaction")); // and no confirm call: the listener must see it

        awaitStatus(token, purchase.getString("id"), "CONFIRMED");
        assertTrue(skipped("unknown-payment") > skippedBefore, "the hostile deposit was counted");
    }

    private double skipped(String reason) {
        var counter = metrics.find("agentnexus.chain.listener.skipped").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void listenerResumesFromItsStoredCursorNotFromTheStart() {
        String agentId = pricedAgent();
        TestWallet buyer = fundedWallet();
        String token = Api.signIn(buyer);
        TestWallet secondBuyer = fundedWallet();
        String secondToken = Api.signIn(secondBuyer);

        JsonPath first = as(token).body(Map.of("agentId", agentId)).post("/api/purchases").then().statusCode(201)
                .extract().jsonPath();
        JsonPath second = as(secondToken).body(Map.of("agentId", agentId)).post("/api/purchases").then()
                .statusCode(201).extract().jsonPath();

        scheduler.pause("escrow-listener");
        sleep(Duration.ofMillis(500)); // let a poll under way finish
        TransactionReceipt firstPayment;
        TransactionReceipt secondPayment;
        try {
            firstPayment = TestChain.send(buyer, first.getMap("transaction"));
            // The stored cursor is all a restarted listener knows: put it just past the first deposit.
            setCursor(firstPayment.getBlockNumber().longValueExact());
            secondPayment = TestChain.send(secondBuyer, second.getMap("transaction"));
        } finally {
            scheduler.resume("escrow-listener");
        }

        awaitStatus(secondToken, second.getString("id"), "CONFIRMED");
        sleep(Duration.ofSeconds(1));
        as(token).get("/api/purchases/" + first.getString("id")).then().body("status", equalTo("PENDING"));
        assertTrue(cursor() >= secondPayment.getBlockNumber().longValueExact());
        // The deposit behind the cursor is not lost: its buyer can still confirm it.
        as(token).body(Map.of("txHash", firstPayment.getTransactionHash()))
                .post("/api/purchases/" + first.getString("id") + "/confirm").then().statusCode(200)
                .body("status", equalTo("CONFIRMED"));
    }

    @Test
    void unpaidPurchaseExpiresAndALateDepositStillConfirmsIt() {
        String agentId = pricedAgent();
        TestWallet buyer = fundedWallet();
        String token = Api.signIn(buyer);
        JsonPath purchase = as(token).body(Map.of("agentId", agentId)).post("/api/purchases").then().statusCode(201)
                .extract().jsonPath();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE purchases SET expires_at = now() - interval '1 minute' WHERE id = ?1")
                .setParameter(1, java.util.UUID.fromString(purchase.getString("id"))).executeUpdate());
        awaitStatus(token, purchase.getString("id"), "EXPIRED");

        TestChain.send(buyer, purchase.getMap("transaction")); // paid anyway: the money must not be lost
        awaitStatus(token, purchase.getString("id"), "CONFIRMED");
    }

    private static String pricedAgent() {
        Map<String, Object> body = agentBody("Listened");
        body.put("price", "1000");
        return createAgent(Api.newCreator(), body);
    }

    private static TestWallet fundedWallet() {
        TestWallet wallet = TestWallet.random();
        TestChain.fund(wallet, new BigInteger("1000000000000000000"));
        return wallet;
    }

    private void setCursor(long block) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE chain_cursors SET last_block = ?1 WHERE name = 'escrow'").setParameter(1, block).executeUpdate());
    }

    private long cursor() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT last_block FROM chain_cursors WHERE name = 'escrow'").getSingleResult()).longValue());
    }
}
