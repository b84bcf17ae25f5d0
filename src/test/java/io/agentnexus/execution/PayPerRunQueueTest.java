package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agentnexus.support.Api;
import io.agentnexus.support.Payments;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no workers, a paid run stays QUEUED: cancelled there, before it starts, its payment goes back. */
@QuarkusTest
@TestProfile(ExecutionRecoveryTest.NoWorkers.class)
class PayPerRunQueueTest {

    private static final String PRICE = "3000000000000000";

    @Test
    void aPaidRunCancelledBeforeItStartsIsRefunded() {
        String creator = Api.newCreator();
        Map<String, Object> body = agentBody("Queued per run");
        body.put("price", PRICE);
        body.put("pricing", "per-run");
        body.put("dockerImage", TestAgents.ECHO);
        String agentId = createAgent(creator, body);
        Payments.Party party = Payments.newBuyer();
        TestWallet buyer = party.wallet();
        String token = party.token();
        JsonPath execution = as(token).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions")
                .then().statusCode(202).body("status", equalTo("AWAITING_PAYMENT")).extract().jsonPath();
        String id = execution.getString("id");

        JsonPath payment = Payments.pay(token, buyer, execution.setRootPath("payment"));
        assertEquals("CONFIRMED", payment.getString("status"));
        BigInteger paidBalance = TestChain.balance(buyer.address());
        as(token).get("/api/executions/" + id).then().body("status", equalTo("QUEUED"));
        as(token).post("/api/executions/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));

        JsonPath refunded = Payments.awaitPurchase(token, payment.getString("id"), "REFUNDED");
        assertEquals("refunded automatically: the run was cancelled before it started",
                refunded.getString("settlementReason"));
        assertEquals(paidBalance.add(new BigInteger(PRICE)), TestChain.balance(buyer.address()));
    }
}
