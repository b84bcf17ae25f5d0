package io.agentnexus.purchase;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.support.Api;
import io.agentnexus.support.Concurrently;
import io.agentnexus.support.EmbeddedServersResource;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** The whole purchase against a real anvil: buyers sign and send their own escrow deposits here. */
@QuarkusTest
class PurchaseFlowTest {

    private static final String PRICE = "10000000000000000"; // 0.01 ETH
    private static final BigInteger FUNDS = new BigInteger("100000000000000000000");

    @Inject
    RedisDataSource redis;

    @Inject
    PaymentListener listener;

    @Inject
    EntityManager em;

    private String creator;
    private String creatorWallet;
    private String agentId;
    private long chainAgentId;
    private TestWallet buyer;
    private String buyerToken;

    @BeforeEach
    void agentAndBuyer() {
        TestWallet creatorKey = TestWallet.random();
        as(Api.admin()).put("/api/admin/creators/" + creatorKey.address()).then().statusCode(200);
        creator = Api.signIn(creatorKey);
        creatorWallet = creatorKey.address();
        Map<String, Object> body = agentBody("Paid agent");
        body.put("price", PRICE);
        agentId = createAgent(creator, body);
        chainAgentId = ((Number) as(creator).get("/api/agents/" + agentId).then().extract().path("chainAgentId"))
                .longValue();
        buyer = TestWallet.random();
        TestChain.fund(buyer, FUNDS);
        buyerToken = Api.signIn(buyer);
    }

    private JsonPath startPurchase(String token) {
        return as(token).body(Map.of("agentId", agentId)).post("/api/purchases")
                .then().statusCode(201).extract().jsonPath();
    }

    private TransactionReceipt pay(TestWallet wallet, JsonPath purchase) {
        return TestChain.send(wallet, purchase.getMap("transaction"));
    }

    private io.restassured.response.ValidatableResponse confirm(String token, String purchaseId, String txHash) {
        return as(token).body(Map.of("txHash", txHash)).post("/api/purchases/" + purchaseId + "/confirm").then();
    }

    @Test
    void buyerPaysConfirmsAndHoldsTheAgent() {
        JsonPath purchase = startPurchase(buyerToken);
        assertEquals("PENDING", purchase.getString("status"));
        assertEquals(PRICE, purchase.getString("amount"));
        assertEquals(PRICE, purchase.getString("transaction.value"));
        assertEquals(purchase.getString("escrowAddress").toLowerCase(), purchase.getString("transaction.to"));
        assertEquals(31337L, purchase.getLong("chainId"));
        BigInteger escrowBefore = TestChain.balance(purchase.getString("escrowAddress"));

        TransactionReceipt receipt = pay(buyer, purchase);
        assertTrue(receipt.isStatusOK());
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(200)
                .body("status", equalTo("CONFIRMED"))
                .body("txHash", equalTo(receipt.getTransactionHash()))
                .body("transaction", nullValue());

        assertEquals(escrowBefore.add(new BigInteger(PRICE)), TestChain.balance(purchase.getString("escrowAddress")));
        assertTrue(TestChain.hasValidToken(buyer.address(), chainAgentId));
        as(buyerToken).get("/api/users/me/entitlements").then().body("entitlements.agentId", hasItem(agentId));
        // Confirming again is harmless; buying again is not needed.
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(200)
                .body("status", equalTo("CONFIRMED"));
        as(buyerToken).body(Map.of("agentId", agentId)).post("/api/purchases").then().statusCode(409);
        as(buyerToken).get("/api/purchases").then().body("purchases.id", hasItem(purchase.getString("id")));
    }

    @Test
    void concurrentConfirmsOfOnePaymentMintOneTokenAndARefundBurnsIt() {
        JsonPath purchase = startPurchase(buyerToken);
        String txHash = pay(buyer, purchase).getTransactionHash();

        List<ExtractableResponse<Response>> answers = Concurrently.together(3,
                i -> confirm(buyerToken, purchase.getString("id"), txHash).extract());

        for (ExtractableResponse<Response> answer : answers) {
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("CONFIRMED", answer.path("status"));
        }
        assertEquals(BigInteger.ONE, TestChain.balanceOf(buyer.address(), chainAgentId));
        assertMintRecorded(purchase.getString("id"));
        as(Api.admin()).post("/api/admin/purchases/" + purchase.getString("id") + "/refund").then().statusCode(200)
                .body("status", equalTo("REFUNDED"));
        assertEquals(BigInteger.ZERO, TestChain.balanceOf(buyer.address(), chainAgentId));
    }

    @Test
    void confirmRacingTheListenerMintsOneToken() {
        JsonPath purchase = startPurchase(buyerToken);
        String txHash = pay(buyer, purchase).getTransactionHash();

        Concurrently.together(2, i -> {
            if (i == 0) {
                return confirm(buyerToken, purchase.getString("id"), txHash).statusCode(200);
            }
            listener.poll(); // besides the scheduled polls, one started right now
            return null;
        });

        awaitStatus(buyerToken, purchase.getString("id"), "CONFIRMED");
        assertEquals(BigInteger.ONE, TestChain.balanceOf(buyer.address(), chainAgentId));
        assertMintRecorded(purchase.getString("id"));
    }

    /** Whichever caller recorded the confirmation, the entitlement names the one mint transaction, mined. */
    private void assertMintRecorded(String purchaseId) {
        String mintTx = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT mint_tx_hash FROM entitlements WHERE purchase_id = ?1")
                .setParameter(1, UUID.fromString(purchaseId)).getSingleResult());
        assertNotNull(mintTx, "the entitlement records its mint transaction");
        assertTrue(TestChain.receipt(mintTx).isStatusOK(), "the recorded mint transaction succeeded on-chain");
    }

    /** A 1-wei deposit under the buyer's paymentId from another wallet would leave the purchase unpayable. */
    @Test
    void nobodyButTheBuyerCanDepositUnderItsPaymentId() {
        JsonPath purchase = startPurchase(buyerToken);
        assertTrue(purchase.getString("paymentId").startsWith(buyer.address().toLowerCase()),
                "the paymentId names its payer");
        TestWallet attacker = TestWallet.random();
        TestChain.fund(attacker, FUNDS);

        TransactionReceipt frontRun = TestChain.depositPayment(attacker, purchase.getString("paymentId"),
                BigInteger.valueOf(chainAgentId), BigInteger.ONE);

        assertFalse(frontRun.isStatusOK(), "the escrow refuses another wallet's deposit under the buyer's id");
        TransactionReceipt payment = pay(buyer, purchase);
        assertTrue(payment.isStatusOK(), "the buyer can still pay");
        confirm(buyerToken, purchase.getString("id"), payment.getTransactionHash()).statusCode(200)
                .body("status", equalTo("CONFIRMED"));
    }

    @Test
    void listenerConfirmsADepositWhoseBuyerNeverCalls() {
        JsonPath purchase = startPurchase(buyerToken);
        pay(buyer, purchase);
        awaitStatus(buyerToken, purchase.getString("id"), "CONFIRMED");
        assertTrue(TestChain.hasValidToken(buyer.address(), chainAgentId));
    }

    @Test
    void unknownTransactionIsAConflictToRetryLater() {
        JsonPath purchase = startPurchase(buyerToken);
        confirm(buyerToken, purchase.getString("id"), "0x" + "ab".repeat(32)).statusCode(409)
                .body("detail", containsString("is not on chain"));
    }

    @Test
    void anotherPurchasesDepositDoesNotConfirmThisOne() {
        JsonPath mine = startPurchase(buyerToken);
        TestWallet other = TestWallet.random();
        TestChain.fund(other, FUNDS);
        String otherToken = Api.signIn(other);
        JsonPath theirs = startPurchase(otherToken);
        TransactionReceipt theirPayment = pay(other, theirs);
        // 400 "made no deposit for this purchase", or 409 once the listener has confirmed their purchase with it
        confirm(buyerToken, mine.getString("id"), theirPayment.getTransactionHash())
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(409)))
                .body("detail", org.hamcrest.Matchers.anyOf(containsString("made no deposit for this purchase"),
                        containsString("already confirmed another purchase")));
        as(buyerToken).get("/api/purchases/" + mine.getString("id")).then().body("status", equalTo("PENDING"))
                .body("txHash", nullValue());
    }

    @Test
    void depositFromAnotherWalletIsRejected() {
        JsonPath purchase = startPurchase(buyerToken);
        TestWallet stranger = TestWallet.random();
        TestChain.fund(stranger, FUNDS);
        TransactionReceipt receipt = pay(stranger, purchase);
        assertFalse(receipt.isStatusOK(), "the escrow takes the buyer's paymentId from the buyer only");
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(400)
                .body("detail", containsString("reverted"));
    }

    @Test
    void depositOfTheWrongAmountIsRejected() {
        JsonPath purchase = startPurchase(buyerToken);
        BigInteger less = new BigInteger(PRICE).subtract(BigInteger.ONE);
        String data = purchase.getString("transaction.data");
        // depositPayment(paymentId, agentId, amount, token): the amount is the third 32-byte word.
        String underpaid = data.substring(0, 10 + 128) + String.format("%064x", less) + data.substring(10 + 192);
        TransactionReceipt receipt = TestChain.send(buyer, purchase.getString("transaction.to"), underpaid, less);
        assertTrue(receipt.isStatusOK());
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(400)
                .body("detail", containsString("the price is " + PRICE));
    }

    @Test
    void revertedTransactionIsRejected() {
        JsonPath purchase = startPurchase(buyerToken);
        // The wrong msg.value makes the escrow revert.
        TransactionReceipt receipt = TestChain.send(buyer, purchase.getString("transaction.to"),
                purchase.getString("transaction.data"), BigInteger.ONE);
        assertFalse(receipt.isStatusOK());
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(400)
                .body("detail", containsString("reverted"));
    }

    @Test
    void aTransactionConfirmsOnlyOnePurchase() {
        JsonPath first = startPurchase(buyerToken);
        TransactionReceipt receipt = pay(buyer, first);
        confirm(buyerToken, first.getString("id"), receipt.getTransactionHash()).statusCode(200);
        TestWallet other = TestWallet.random();
        String otherToken = Api.signIn(other);
        JsonPath second = startPurchase(otherToken);
        confirm(otherToken, second.getString("id"), receipt.getTransactionHash()).statusCode(409)
                .body("detail", containsString("already confirmed another purchase"));
    }

    @Test
    void purchasesArePrivate() {
        JsonPath purchase = startPurchase(buyerToken);
        String stranger = Api.signIn(TestWallet.random());
        as(stranger).get("/api/purchases/" + purchase.getString("id")).then().statusCode(404);
        confirm(stranger, purchase.getString("id"), "0x" + "cd".repeat(32)).statusCode(404);
        as(buyerToken).get("/api/purchases/" + purchase.getString("id")).then().statusCode(200)
                .body("transaction.data", notNullValue());
        io.restassured.RestAssured.given().get("/api/purchases").then().statusCode(401);
    }

    @Test
    void creatorsDoNotBuyTheirOwnAgents() {
        as(creator).body(Map.of("agentId", agentId)).post("/api/purchases").then().statusCode(409)
                .body("detail", containsString("you created this agent"));
    }

    @Test
    void invalidPurchaseRequestsAreBadRequests() {
        as(buyerToken).body(Map.of("agentId", "not-a-uuid")).post("/api/purchases").then().statusCode(400);
        as(buyerToken).body(Map.of("agentId", agentId, "token", "0x" + "1".repeat(40))).post("/api/purchases")
                .then().statusCode(400).body("errors[0].field", equalTo("token"));
        as(buyerToken).body(Map.of("agentId", java.util.UUID.randomUUID().toString())).post("/api/purchases")
                .then().statusCode(404);
        JsonPath purchase = startPurchase(buyerToken);
        confirm(buyerToken, purchase.getString("id"), "0x1234").statusCode(400);
    }

    @Test
    void releasePaysTheCreatorMinusTheFee() {
        JsonPath purchase = startPurchase(buyerToken);
        TransactionReceipt receipt = pay(buyer, purchase);
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(200);
        BigInteger creatorBefore = TestChain.balance(creatorWallet);
        as(buyerToken).post("/api/admin/purchases/" + purchase.getString("id") + "/release").then().statusCode(403);
        as(Api.admin()).post("/api/admin/purchases/" + purchase.getString("id") + "/release").then().statusCode(200)
                .body("status", equalTo("RELEASED")).body("settleTxHash", notNullValue());
        BigInteger fee = new BigInteger(PRICE).multiply(BigInteger.valueOf(250)).divide(BigInteger.valueOf(10_000));
        assertEquals(creatorBefore.add(new BigInteger(PRICE)).subtract(fee), TestChain.balance(creatorWallet));
        as(Api.admin()).post("/api/admin/purchases/" + purchase.getString("id") + "/refund").then().statusCode(409);
    }

    @Test
    void refundReturnsThePaymentAndRevokesAccess() {
        JsonPath purchase = startPurchase(buyerToken);
        TransactionReceipt receipt = pay(buyer, purchase);
        confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(200);
        BigInteger buyerBefore = TestChain.balance(buyer.address());
        as(Api.admin()).post("/api/admin/purchases/" + purchase.getString("id") + "/refund").then().statusCode(200)
                .body("status", equalTo("REFUNDED"));
        assertEquals(buyerBefore.add(new BigInteger(PRICE)), TestChain.balance(buyer.address()));
        assertFalse(TestChain.hasValidToken(buyer.address(), chainAgentId));
        as(buyerToken).get("/api/users/me/entitlements").then().body("entitlements.agentId", not(hasItem(agentId)));
    }

    @Test
    void entitlementExpiresWithTheChainsClock() {
        TestChain.setTokenExpiry(chainAgentId, 3600);
        JsonPath purchase = startPurchase(buyerToken);
        confirm(buyerToken, purchase.getString("id"), pay(buyer, purchase).getTransactionHash()).statusCode(200);
        as(buyerToken).get("/api/users/me/entitlements").then().body("entitlements.agentId", hasItem(agentId))
                .body("entitlements.find { it.agentId == '" + agentId + "' }.expiresAt", notNullValue());
        TestChain.increaseTime(3601);
        redis.key().del(redis.key().keys("entitlement:valid:*").toArray(String[]::new)); // past the 30 s cache
        assertFalse(TestChain.hasValidToken(buyer.address(), chainAgentId));
        as(buyerToken).get("/api/users/me/entitlements").then().body("entitlements.agentId", not(hasItem(agentId)));
        // Expired: the buyer may buy again.
        startPurchase(buyerToken);
    }

    @Test
    void chainOutageDelaysConfirmationButLosesNothing() {
        JsonPath purchase = startPurchase(buyerToken);
        EmbeddedServersResource.rpc().cut();
        try {
            TransactionReceipt receipt = pay(buyer, purchase); // the wallet still reaches the chain
            confirm(buyerToken, purchase.getString("id"), receipt.getTransactionHash()).statusCode(503)
                    .header("Retry-After", notNullValue());
            sleep(Duration.ofSeconds(1)); // the listener keeps failing meanwhile
            as(buyerToken).get("/api/purchases/" + purchase.getString("id")).then().body("status", equalTo("PENDING"));
        } finally {
            EmbeddedServersResource.rpc().restore();
        }
        awaitStatus(buyerToken, purchase.getString("id"), "CONFIRMED");
    }

    static void awaitStatus(String token, String purchaseId, String status) {
        await(() -> status.equals(as(token).get("/api/purchases/" + purchaseId).then().extract().path("status")),
                "purchase " + purchaseId + " to become " + status);
    }

    static void await(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
