package io.agentnexus.support;

import static io.agentnexus.support.Api.as;

import io.restassured.path.json.JsonPath;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;

/** Paying through the escrow as a buyer's wallet does: send what the API hands out, then confirm it. */
public final class Payments {

    private Payments() {
    }

    /** Someone signed in with a wallet of their own. */
    public record Party(TestWallet wallet, String token) {
    }

    /** A new creator (the role granted by the admin), signed in. */
    public static Party newCreator() {
        TestWallet wallet = TestWallet.random();
        as(Api.admin()).put("/api/admin/creators/" + wallet.address()).then().statusCode(200);
        return new Party(wallet, Api.signIn(wallet));
    }

    /** A new buyer whose wallet holds 100 ETH, signed in. */
    public static Party newBuyer() {
        TestWallet wallet = TestWallet.random();
        TestChain.fund(wallet, new BigInteger("100000000000000000000"));
        return new Party(wallet, Api.signIn(wallet));
    }

    /** Buys access to the agent from the buyer's wallet; the CONFIRMED purchase. */
    public static JsonPath buy(String token, TestWallet wallet, String agentId) {
        JsonPath purchase = as(token).body(Map.of("agentId", agentId)).post("/api/purchases")
                .then().statusCode(201).extract().jsonPath();
        return pay(token, wallet, purchase);
    }

    /** Sends the purchase's deposit transaction from the wallet and confirms it; the CONFIRMED purchase. */
    public static JsonPath pay(String token, TestWallet wallet, JsonPath purchase) {
        String txHash = TestChain.send(wallet, purchase.getMap("transaction")).getTransactionHash();
        return as(token).body(Map.of("txHash", txHash)).post("/api/purchases/" + purchase.getString("id") + "/confirm")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The purchase once it reaches {@code status}. */
    public static JsonPath awaitPurchase(String token, String purchaseId, String status) {
        return Await.until(() -> as(token).get("/api/purchases/" + purchaseId).then().statusCode(200).extract().jsonPath(),
                p -> status.equals(p.getString("status")), Duration.ofSeconds(30),
                "purchase " + purchaseId + " becoming " + status);
    }

    /** What the creator receives of {@code price} on release: all but the platform fee (2.5 % on the test escrow). */
    public static BigInteger creatorShare(String price) {
        BigInteger amount = new BigInteger(price);
        return amount.subtract(amount.multiply(BigInteger.valueOf(250)).divide(BigInteger.valueOf(10_000)));
    }
}
