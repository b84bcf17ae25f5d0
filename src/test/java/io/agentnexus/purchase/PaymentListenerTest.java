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

    @Test
    void listenerResumesFromItsStoredCursorNotFromTheStart() {
        String creator = Api.newCreator();
        Map<String, Object> body = agentBody("Listened");
        body.put("price", "1000");
        String agentId = createAgent(creator, body);
        TestWallet buyer = TestWallet.random();
        TestChain.fund(buyer, new BigInteger("1000000000000000000"));
        String token = Api.signIn(buyer);
        TestWallet secondBuyer = TestWallet.random();
        TestChain.fund(secondBuyer, new BigInteger("1000000000000000000"));
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

    private void setCursor(long block) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE chain_cursors SET last_block = ?1 WHERE name = 'escrow'").setParameter(1, block).executeUpdate());
    }

    private long cursor() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT last_block FROM chain_cursors WHERE name = 'escrow'").getSingleResult()).longValue());
    }
}
