package io.agentnexus.execution;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Payments;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestChain;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pay-per-run agent: each run is funded by its own escrow deposit, starts once the deposit is verified,
 * and settles with the run: released to the creator on success, refunded to the buyer otherwise.
 */
@QuarkusTest
class PayPerRunTest {

    private static final String PRICE = "2000000000000000"; // 0.002 ETH a run

    @Inject
    ContainerRuntime runtime;

    private Payments.Party creator;
    private Payments.Party buyer;

    @BeforeEach
    void creatorAndBuyer() {
        TestAgents.build(runtime);
        creator = Payments.newCreator();
        buyer = Payments.newBuyer();
    }

    private String perRunAgent(String image, Map<String, Object> overrides) {
        Map<String, Object> body = agentBody("Per run " + image.substring(image.indexOf('/') + 1));
        body.put("price", PRICE);
        body.put("pricing", "per-run");
        body.put("dockerImage", image);
        body.putAll(overrides);
        return createAgent(creator.token(), body);
    }

    private JsonPath submit(String agentId) {
        return as(buyer.token()).body(Map.of("agentId", agentId, "input", Map.of("message", "paid"))).post("/api/executions")
                .then().statusCode(202).body("status", equalTo("AWAITING_PAYMENT"))
                .body("payment.kind", equalTo("run")).body("payment.status", equalTo("PENDING"))
                .body("payment.amount", equalTo(PRICE)).body("payment.transaction", notNullValue())
                .extract().jsonPath();
    }

    /** Pays the run from the buyer's wallet; the buyer.wallet()'s balance right after (gas spent). */
    private BigInteger pay(JsonPath execution) {
        Payments.pay(buyer.token(), buyer.wallet(), execution.setRootPath("payment"));
        execution.setRootPath("");
        return TestChain.balance(buyer.wallet().address());
    }

    private JsonPath settled(JsonPath execution, String status) {
        return Payments.awaitPurchase(buyer.token(), execution.getString("payment.id"), status);
    }

    @Test
    void aRunWaitsForItsDepositAndASuccessPaysTheCreator() {
        String agentId = perRunAgent(TestAgents.ECHO, Map.of());
        as(buyer.token()).body(Map.of("agentId", agentId)).post("/api/purchases").then().statusCode(409); // nothing to buy
        JsonPath execution = submit(agentId);
        String id = execution.getString("id");
        as(buyer.token()).get("/api/executions/" + id).then().body("status", equalTo("AWAITING_PAYMENT"));
        BigInteger creatorBefore = TestChain.balance(creator.wallet().address());

        pay(execution);

        JsonPath done = Api.awaitExecution(buyer.token(), id);
        assertEquals("SUCCEEDED", done.getString("status"));
        JsonPath payment = settled(execution, "RELEASED");
        assertEquals("released automatically: the run succeeded", payment.getString("settlementReason"));
        assertEquals(creatorBefore.add(Payments.creatorShare(PRICE)), TestChain.balance(creator.wallet().address()));
        // The run's receipt names the payment that funded it.
        as(buyer.token()).get("/api/executions/" + id + "/receipt").then().statusCode(200)
                .body("typedData.message.paymentId", equalTo(payment.getString("paymentId")));
        // A run's payment settles with the run: no dispute, and every run pays again.
        as(buyer.token()).body(Map.of("reason", "x")).post("/api/purchases/" + payment.getString("id") + "/dispute")
                .then().statusCode(409);
        submit(agentId);
        // Its creator.token() runs it without paying.
        as(creator.token()).body(Map.of("agentId", agentId, "input", Map.of())).post("/api/executions").then().statusCode(202)
                .body("status", oneOf("QUEUED", "RUNNING")).body("payment", equalTo(null)); // a woken worker may have it
    }

    private void assertRefunded(String agentId, String runStatus, String reason) {
        JsonPath execution = submit(agentId);
        BigInteger paidBalance = pay(execution);
        assertEquals(runStatus, Api.awaitExecution(buyer.token(), execution.getString("id")).getString("status"));
        JsonPath payment = settled(execution, "REFUNDED");
        assertTrue(payment.getString("settlementReason").contains(reason), payment.getString("settlementReason"));
        assertEquals(paidBalance.add(new BigInteger(PRICE)), TestChain.balance(buyer.wallet().address()));
    }

    @Test
    void aRunTheAgentFailsIsRefunded() {
        assertRefunded(perRunAgent(TestAgents.FAIL, Map.of()), "FAILED", "the run failed (the agent exited with code");
    }

    @Test
    void aRunThatTimesOutIsRefunded() {
        assertRefunded(perRunAgent(TestAgents.SLOW, Map.of("timeoutSeconds", 1)), "TIMED_OUT", "timed out");
    }

    @Test
    void aRunThePlatformCannotStartIsRefunded() {
        // No registry can be reached: the image cannot be pulled, and the platform fails the run.
        assertRefunded(perRunAgent("agentnexus-test/never-built:1", Map.of()), "FAILED",
                "the run failed (the platform could not run the agent");
    }

    @Test
    void aRunCancelledBeforeItsPaymentArrivesIsRefundedWhenItDoes() {
        JsonPath execution = submit(perRunAgent(TestAgents.ECHO, Map.of()));
        as(buyer.token()).post("/api/executions/" + execution.getString("id") + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
        BigInteger paidBalance = pay(execution);
        JsonPath payment = settled(execution, "REFUNDED");
        assertEquals("refunded automatically: the run was cancelled before it started",
                payment.getString("settlementReason"));
        assertEquals(paidBalance.add(new BigInteger(PRICE)), TestChain.balance(buyer.wallet().address()));
        as(buyer.token()).get("/api/executions/" + execution.getString("id")).then().body("status", equalTo("CANCELLED"))
                .body("startedAt", equalTo(null));
    }
}
