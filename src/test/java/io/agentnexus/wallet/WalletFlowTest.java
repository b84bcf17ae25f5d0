package io.agentnexus.wallet;

import static io.agentnexus.support.Api.agentBody;
import static io.agentnexus.support.Api.as;
import static io.agentnexus.support.Api.createAgent;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.Payments;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.Await;
import io.agentnexus.support.EmbeddedServersResource;
import io.agentnexus.support.TestChain;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint192;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * Smart accounts end to end against anvil, the EntryPoint v0.7 at its canonical address and the Alto
 * bundler: nothing here is mocked. Owners sign userOpHash with their own keys, as a wallet would.
 */
@QuarkusTest
class WalletFlowTest {

    private static final String ENTRY_POINT = "0x0000000071727De22E5E9d8BAf0edAc6f37da032";
    private static final Duration INCLUSION = Duration.ofSeconds(30);

    @Inject
    ContainerRuntime runtime;

    private TestWallet owner;
    private String token;

    @BeforeEach
    void owner() {
        owner = TestWallet.random();
        token = Api.signIn(owner);
    }

    @Test
    void theAccountIsTheFactorysCounterfactualAddress() {
        JsonPath wallet = as(token).get("/api/users/me/wallet").then().statusCode(200).extract().jsonPath();
        String factory = chainConfig("agentnexus.wallet.factory");
        String expected = decodeAddress(TestChain.call(factory, FunctionEncoder.encode(new Function("getAddress",
                List.of(new Address(owner.address()), new Uint256(0)), List.of(new TypeReference<Address>() { })))));
        assertEquals(Keys.toChecksumAddress(expected), wallet.getString("address"));
        assertEquals(owner.address(), wallet.getString("owner"));
        assertFalse(wallet.getBoolean("deployed"));
        assertEquals(ENTRY_POINT, wallet.getString("entryPoint"));
        assertEquals(Keys.toChecksumAddress(factory), wallet.getString("factory"));
        assertEquals(31337, wallet.getLong("chainId"));
        assertEquals("0x", TestChain.call(expected, "0x"), "nothing is deployed before the first operation");
    }

    @Test
    void aFirstSponsoredOperationDeploysTheAccountAndASecondReusesIt() {
        String account = as(token).get("/api/users/me/wallet").then().extract().path("address");
        String operator = TestWallet.random().address();

        JsonPath first = prepare(List.of(approveForAll(operator, true))).then().statusCode(201)
                .body("status", equalTo("AWAITING_SIGNATURE")).body("sponsored", equalTo(true))
                .body("userOperation.sender", equalTo(account)).body("userOperation.nonce", equalTo("0x0"))
                .body("userOperation.initCode", containsString(Numeric.cleanHexPrefix(
                        chainConfig("agentnexus.wallet.factory"))))
                .body("userOperation.paymasterAndData", containsString(Numeric.cleanHexPrefix(
                        chainConfig("agentnexus.wallet.paymaster.address"))))
                .extract().jsonPath();
        assertEquals(entryPointHash(first.getMap("userOperation")), first.getString("userOpHash"),
                "the service's userOpHash is the EntryPoint's getUserOpHash of the same operation");

        JsonPath included = signAndAwait(first);
        assertTrue(included.getBoolean("success"));
        assertTrue(new BigInteger(included.getString("actualGasCost")).signum() > 0);
        assertEquals(Boolean.TRUE, as(token).get("/api/users/me/wallet").then().extract().path("deployed"));
        assertTrue(approvedForAll(account, operator), "the account executed the call");
        assertEquals(BigInteger.ZERO, TestChain.balance(account), "the paymaster paid the gas, not the account");

        JsonPath second = prepare(List.of(approveForAll(operator, false))).then().statusCode(201)
                .body("userOperation.initCode", equalTo("0x")).extract().jsonPath();
        assertEquals(nonce(account), Numeric.decodeQuantity(second.getString("userOperation.nonce")));
        assertEquals(BigInteger.ONE, Numeric.decodeQuantity(second.getString("userOperation.nonce")));
        assertEquals(entryPointHash(second.getMap("userOperation")), second.getString("userOpHash"));
        assertTrue(signAndAwait(second).getBoolean("success"));
        assertFalse(approvedForAll(account, operator));
        assertEquals(BigInteger.TWO, nonce(account));
    }

    @Test
    void aGaslessPurchaseConfirmsAndMintsTheEntitlementToTheBuyer() {
        String price = "10000000000000000"; // 0.01 ETH
        String creator = Api.newCreator();
        Map<String, Object> body = agentBody("Gasless agent");
        body.put("price", price);
        String agentId = createAgent(creator, body);
        long chainAgentId = ((Number) as(creator).get("/api/agents/" + agentId).then().extract().path("chainAgentId"))
                .longValue();
        String account = as(token).get("/api/users/me/wallet").then().extract().path("address");
        TestChain.fund(account, new BigInteger(price)); // the price, and not one wei for gas

        JsonPath purchase = as(token).body(Map.of("agentId", agentId, "payWith", "smart-account"))
                .post("/api/purchases").then().statusCode(201)
                .body("payWith", equalTo("smart-account")).body("payer", equalTo(account))
                .body("paymentId", containsString(Numeric.cleanHexPrefix(account).toLowerCase()))
                .body("transaction", nullValue())
                .body("operation.status", equalTo("AWAITING_SIGNATURE")).body("operation.sponsored", equalTo(true))
                .body("operationId", notNullValue())
                .extract().jsonPath();
        JsonPath operation = purchase.setRootPath("operation");
        signAndAwait(operation);

        String purchaseId = purchase.setRootPath("").getString("id");
        Await.until(() -> as(token).get("/api/purchases/" + purchaseId).then().extract().path("status"),
                "CONFIRMED"::equals, INCLUSION, "the gasless purchase's confirmation");
        assertTrue(TestChain.hasValidToken(owner.address(), chainAgentId), "the buyer's own wallet holds the access");
        assertEquals(BigInteger.ZERO, TestChain.balance(account), "the account paid the price and no gas");
        as(token).get("/api/users/me/entitlements").then().statusCode(200).body("entitlements.agentId",
                org.hamcrest.Matchers.hasItem(agentId));
    }

    @Test
    void aGaslessRunOfAPayPerRunAgentStartsOnceItsDepositIsIncludedAndPaysTheCreatorOnSuccess() {
        TestAgents.build(runtime);
        String price = "1000000000000000"; // 0.001 ETH a run
        Payments.Party creator = Payments.newCreator();
        Map<String, Object> body = agentBody("Gasless per run");
        body.put("price", price);
        body.put("pricing", "per-run");
        body.put("dockerImage", TestAgents.ECHO);
        String agentId = createAgent(creator.token(), body);
        String account = as(token).get("/api/users/me/wallet").then().extract().path("address");
        TestChain.fund(account, new BigInteger(price));
        BigInteger creatorBefore = TestChain.balance(creator.wallet().address());

        JsonPath execution = as(token).body(Map.of("agentId", agentId, "input", Map.of("message", "gasless"),
                        "payWith", "smart-account")).post("/api/executions").then().statusCode(202)
                .body("status", equalTo("AWAITING_PAYMENT")).body("payment.payer", equalTo(account))
                .body("payment.operation.sponsored", equalTo(true)).extract().jsonPath();
        signAndAwait(execution.setRootPath("payment.operation"));

        String id = execution.setRootPath("").getString("id");
        assertEquals("SUCCEEDED", Api.awaitExecution(token, id).getString("status"));
        Payments.awaitPurchase(token, execution.getString("payment.id"), "RELEASED");
        assertEquals(creatorBefore.add(Payments.creatorShare(price)), TestChain.balance(creator.wallet().address()));
        assertEquals(BigInteger.ZERO, TestChain.balance(account), "the account paid the run and no gas");
    }

    @Test
    void aSignatureByAnyoneButTheOwnerIs400AndChangesNothing() {
        JsonPath prepared = prepare(List.of(approveForAll(TestWallet.random().address(), true))).then().statusCode(201)
                .extract().jsonPath();
        String id = prepared.getString("id");
        TestWallet stranger = TestWallet.random();
        as(token).body(Map.of("signature", stranger.signHash(prepared.getString("userOpHash"))))
                .post("/api/users/me/wallet/operations/" + id + "/signature").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.message", org.hamcrest.Matchers.hasItem(containsString("recovers to " + stranger.address())));
        as(token).body(Map.of("signature", "0x" + "00".repeat(65)))
                .post("/api/users/me/wallet/operations/" + id + "/signature").then().statusCode(400);
        as(token).get("/api/users/me/wallet/operations/" + id).then().statusCode(200)
                .body("status", equalTo("AWAITING_SIGNATURE"));
        assertTrue(signAndAwait(prepared).getBoolean("success"), "the owner's signature still goes through");
    }

    @Test
    void callsOutsideTheSponsorshipPolicyAre403AndStoreNothing() {
        String escrow = chainConfig("agentnexus.chain.escrow-address");
        Map<String, Object> elsewhere = Map.of("to", TestWallet.random().address(), "value", "0", "data", "0x");
        prepare(List.of(elsewhere)).then().statusCode(403).contentType("application/problem+json")
                .body("type", containsString("sponsorship-refused"))
                .body("detail", containsString("not one of the platform's contracts"));
        Map<String, Object> escrowButNotDeposit = Map.of("to", escrow, "data", FunctionEncoder.encode(
                new Function("refund", List.of(new Bytes32(new byte[32])), List.of())));
        prepare(List.of(escrowButNotDeposit)).then().statusCode(403).body("detail", containsString("not depositPayment"));
        Map<String, Object> approveAnything = Map.of("to", TestWallet.random().address(), "data",
                FunctionEncoder.encode(new Function("approve", List.of(new Address(TestWallet.random().address()),
                        new Uint256(1)), List.of())));
        prepare(List.of(approveAnything)).then().statusCode(403).body("detail", containsString("price token"));
        as(token).get("/api/users/me/wallet/operations").then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void theDailySponsorshipCapIsPerUser() {
        Map<String, Object> call = approveForAll(TestWallet.random().address(), true);
        for (int i = 0; i < 20; i++) {
            prepare(List.of(call)).then().statusCode(201);
        }
        prepare(List.of(call)).then().statusCode(403).body("detail", containsString("daily cap of 20"));
        String other = Api.signIn(TestWallet.random());
        as(other).body(Map.of("calls", List.of(call))).post("/api/users/me/wallet/operations").then().statusCode(201);
    }

    @Test
    void theBundlerDownIs503AndTheOperationCanBeSentAgain() {
        JsonPath prepared = prepare(List.of(approveForAll(TestWallet.random().address(), true))).then().statusCode(201)
                .extract().jsonPath();
        String id = prepared.getString("id");
        String signature = owner.signHash(prepared.getString("userOpHash"));
        EmbeddedServersResource.bundler().cut();
        try {
            as(token).body(Map.of("signature", signature)).post("/api/users/me/wallet/operations/" + id + "/signature")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", notNullValue());
            prepare(List.of(approveForAll(TestWallet.random().address(), true))).then().statusCode(503);
            as(token).get("/api/users/me/wallet/operations/" + id).then().statusCode(200)
                    .body("status", equalTo("AWAITING_SIGNATURE"));
            as(token).get("/api/users/me/wallet/operations").then().body("total", equalTo(1));
        } finally {
            EmbeddedServersResource.bundler().restore();
        }
        as(token).body(Map.of("signature", signature)).post("/api/users/me/wallet/operations/" + id + "/signature")
                .then().statusCode(202).body("status", equalTo("SUBMITTED"));
        JsonPath included = awaitIncluded(id);
        assertTrue(included.getBoolean("success"));
    }

    @Test
    void anotherUsersOperationIs404() {
        JsonPath prepared = prepare(List.of(approveForAll(TestWallet.random().address(), true))).then().statusCode(201)
                .extract().jsonPath();
        String id = prepared.getString("id");
        String stranger = Api.signIn(TestWallet.random());
        as(stranger).get("/api/users/me/wallet/operations/" + id).then().statusCode(404);
        as(stranger).body(Map.of("signature", owner.signHash(prepared.getString("userOpHash"))))
                .post("/api/users/me/wallet/operations/" + id + "/signature").then().statusCode(404);
        Api.as("not-a-token").get("/api/users/me/wallet").then().statusCode(401);
        as(token).get("/api/users/me/wallet/operations/" + id).then().statusCode(200)
                .body("status", equalTo("AWAITING_SIGNATURE"));
    }

    @Test
    void badRequestsAre400() {
        prepare(List.of()).then().statusCode(400);
        prepare(List.of(Map.of("to", "0x1234", "data", "0x"))).then().statusCode(400).body("errors.field",
                org.hamcrest.Matchers.hasItem(containsString("to")));
        prepare(List.of(Map.of("to", TestWallet.random().address(), "data", "0xabc"))).then().statusCode(400);
        prepare(List.of(Map.of("to", TestWallet.random().address(), "value", "-1"))).then().statusCode(400);
        String overUint256 = BigInteger.TWO.pow(256).toString(); // 78 digits, one more than a uint256 holds
        prepare(List.of(Map.of("to", chainConfig("agentnexus.chain.escrow-address"), "value", overUint256,
                "data", SponsorshipPolicy.DEPOSIT_SELECTOR))).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItem(
                        containsString("value")));
        as(token).body(Map.of("signature", "0x12")).post("/api/users/me/wallet/operations/"
                + java.util.UUID.randomUUID() + "/signature").then().statusCode(400);
        as(token).get("/api/users/me/wallet/operations").then().statusCode(200).body("total", equalTo(0))
                .body("operations", not(nullValue()));
    }

    private io.restassured.response.Response prepare(List<Map<String, Object>> calls) {
        return as(token).body(Map.of("calls", calls)).post("/api/users/me/wallet/operations");
    }

    private JsonPath signAndAwait(JsonPath prepared) {
        String id = prepared.getString("id");
        as(token).body(Map.of("signature", owner.signHash(prepared.getString("userOpHash"))))
                .post("/api/users/me/wallet/operations/" + id + "/signature").then().statusCode(202)
                .body("status", equalTo("SUBMITTED"));
        return awaitIncluded(id);
    }

    private JsonPath awaitIncluded(String id) {
        JsonPath included = Await.until(
                () -> as(token).get("/api/users/me/wallet/operations/" + id).then().statusCode(200).extract().jsonPath(),
                op -> !"SUBMITTED".equals(op.getString("status")), INCLUSION, "operation " + id + " leaving SUBMITTED");
        assertEquals("INCLUDED", included.getString("status"), included.prettify());
        assertTrue(included.getString("bundleTxHash").matches("0x[0-9a-f]{64}"));
        assertTrue(TestChain.receipt(included.getString("bundleTxHash")).isStatusOK());
        return included;
    }

    private static Map<String, Object> approveForAll(String operator, boolean approved) {
        return Map.of("to", chainConfig("agentnexus.chain.entitlements-address"), "data", FunctionEncoder.encode(
                new Function("setApprovalForAll", List.of(new Address(operator), new Bool(approved)), List.of())));
    }

    private static boolean approvedForAll(String account, String operator) {
        Function query = new Function("isApprovedForAll", List.of(new Address(account), new Address(operator)),
                List.of(new TypeReference<Bool>() { }));
        List<Type> result = FunctionReturnDecoder.decode(TestChain.call(chainConfig(
                "agentnexus.chain.entitlements-address"), FunctionEncoder.encode(query)), query.getOutputParameters());
        return (Boolean) result.getFirst().getValue();
    }

    private static BigInteger nonce(String account) {
        Function getNonce = new Function("getNonce", List.of(new Address(account), new Uint192(0)),
                List.of(new TypeReference<Uint256>() { }));
        return (BigInteger) FunctionReturnDecoder.decode(TestChain.call(ENTRY_POINT, FunctionEncoder.encode(getNonce)),
                getNonce.getOutputParameters()).getFirst().getValue();
    }

    /** EntryPoint.getUserOpHash(PackedUserOperation) on the chain, for the packed fields the API returned. */
    private static String entryPointHash(Map<String, Object> packed) {
        DynamicStruct operation = new DynamicStruct(new Address((String) packed.get("sender")),
                new Uint256(Numeric.decodeQuantity((String) packed.get("nonce"))), bytes(packed.get("initCode")),
                bytes(packed.get("callData")), new Bytes32(Numeric.hexStringToByteArray((String) packed.get("accountGasLimits"))),
                new Uint256(Numeric.decodeQuantity((String) packed.get("preVerificationGas"))),
                new Bytes32(Numeric.hexStringToByteArray((String) packed.get("gasFees"))),
                bytes(packed.get("paymasterAndData")), bytes(packed.get("signature")));
        Function getUserOpHash = new Function("getUserOpHash", List.of(operation),
                List.of(new TypeReference<Bytes32>() { }));
        return Numeric.toHexString(((Bytes32) FunctionReturnDecoder.decode(TestChain.call(ENTRY_POINT,
                FunctionEncoder.encode(getUserOpHash)), getUserOpHash.getOutputParameters()).getFirst()).getValue());
    }

    private static DynamicBytes bytes(Object hex) {
        return new DynamicBytes(Numeric.hexStringToByteArray((String) hex));
    }

    private static String decodeAddress(String word) {
        return "0x" + Numeric.cleanHexPrefix(word).substring(24);
    }

    private static String chainConfig(String key) {
        return EmbeddedServersResource.chain().config().get(key);
    }
}
