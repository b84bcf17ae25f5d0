package io.agentnexus.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.error.DependencyUnavailableException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Alchemy's Gas Manager against a fake alchemy_requestGasAndPaymasterAndData service. */
class GasManagerPaymasterTest {

    private static final String METHOD = "alchemy_requestGasAndPaymasterAndData";
    private static final String ENTRY_POINT = "0x0000000071727De22E5E9d8BAf0edAc6f37da032";
    private static final String POLICY = "6f1e2d3c-0000-4000-8000-00000000abcd";
    private static final String SENDER = "0x1f9090aae28b8a3dceadf281b0f12828e676c326";
    private static final String FACTORY = "0x91e60e0613810449d098b0b5ec8b51a0fe8c8985";
    private static final String FACTORY_DATA = "0x5fbfb9cf" + "00".repeat(12) + "aa".repeat(20) + "00".repeat(32);
    private static final String CALL_DATA = "0xb61d27f6" + "00".repeat(12) + "bb".repeat(20) + "00".repeat(64);
    private static final String PAYMASTER = "0x2cc0c7981d846b9f2a16276556f6e8cb52bfb633";
    private static final String PAYMASTER_DATA = "0x" + "00".repeat(11) + "0000000000006553f100" + "cd".repeat(65);

    private static final String ANSWER = """
            {"paymaster": "%s", "paymasterData": "%s",
             "callGasLimit": "0x11111", "verificationGasLimit": "0x22222", "preVerificationGas": "0x33333",
             "paymasterVerificationGasLimit": "0x44444", "paymasterPostOpGasLimit": "0x555",
             "maxFeePerGas": "0x77359400", "maxPriorityFeePerGas": "0x3b9aca00"}"""
            .formatted(PAYMASTER, PAYMASTER_DATA);

    private final ObjectMapper json = new ObjectMapper();
    private final FakeJsonRpcService service = new FakeJsonRpcService();

    @AfterEach
    void stop() {
        service.close();
    }

    private GasManagerPaymaster paymaster(String url, Duration timeout) {
        return new GasManagerPaymaster(new JsonRpc("paymaster", url, timeout, json), POLICY, ENTRY_POINT);
    }

    private GasManagerPaymaster paymaster() {
        return paymaster(service.url(), Duration.ofSeconds(5));
    }

    private static UserOperation draft(String factory) {
        return UserOperation.draft(SENDER, BigInteger.valueOf(7), factory, FACTORY_DATA, CALL_DATA,
                new UserOperation.Fees(BigInteger.valueOf(1_500_000_000L), BigInteger.valueOf(1_000_000L)));
    }

    @Test
    void sendsThePolicyTheDraftAndTheFeeOverrides() throws Exception {
        service.result(METHOD, ANSWER);

        paymaster().sponsor(draft(FACTORY));

        List<FakeJsonRpcService.Request> requests = service.requests();
        assertEquals(1, requests.size());
        assertEquals("POST", requests.getFirst().httpMethod());
        assertEquals("application/json", requests.getFirst().contentType());
        JsonNode expected = json.readTree("""
                {"jsonrpc": "2.0", "id": 1, "method": "%s", "params": [{
                  "policyId": "%s",
                  "entryPoint": "%s",
                  "dummySignature": "%s",
                  "userOperation": {"sender": "%s", "nonce": "0x7", "factory": "%s", "factoryData": "%s",
                                    "callData": "%s"},
                  "overrides": {"maxFeePerGas": "0x59682f00", "maxPriorityFeePerGas": "0xf4240"}}]}"""
                .formatted(METHOD, POLICY, ENTRY_POINT, UserOperation.DUMMY_SIGNATURE, SENDER, FACTORY, FACTORY_DATA,
                        CALL_DATA));
        assertEquals(expected, requests.getFirst().body());
    }

    @Test
    void leavesFactoryOutForADeployedAccount() {
        service.result(METHOD, ANSWER);

        paymaster().sponsor(draft(null));

        JsonNode userOperation = service.requests().getFirst().params().get(0).get("userOperation");
        assertEquals(List.of("sender", "nonce", "callData"), fieldNames(userOperation));
    }

    @Test
    void takesGasFeesAndPaymasterFieldsFromTheAnswer() {
        service.result(METHOD, ANSWER);
        UserOperation draft = draft(FACTORY);

        UserOperation sponsored = paymaster().sponsor(draft);

        assertEquals(PAYMASTER, sponsored.paymaster());
        assertEquals(PAYMASTER_DATA, sponsored.paymasterData());
        assertEquals(BigInteger.valueOf(0x11111), sponsored.callGasLimit());
        assertEquals(BigInteger.valueOf(0x22222), sponsored.verificationGasLimit());
        assertEquals(BigInteger.valueOf(0x33333), sponsored.preVerificationGas());
        assertEquals(BigInteger.valueOf(0x44444), sponsored.paymasterVerificationGasLimit());
        assertEquals(BigInteger.valueOf(0x555), sponsored.paymasterPostOpGasLimit());
        assertEquals(BigInteger.valueOf(2_000_000_000L), sponsored.maxFeePerGas());
        assertEquals(BigInteger.valueOf(1_000_000_000L), sponsored.maxPriorityFeePerGas());
        // what the owner asked for stays as it was, the signature still a placeholder
        assertEquals(draft.sender(), sponsored.sender());
        assertEquals(draft.nonce(), sponsored.nonce());
        assertEquals(draft.factory(), sponsored.factory());
        assertEquals(draft.factoryData(), sponsored.factoryData());
        assertEquals(draft.callData(), sponsored.callData());
        assertEquals(UserOperation.DUMMY_SIGNATURE, sponsored.signature());
    }

    @Test
    void acceptsPlainNumbersInTheAnswer() {
        service.result(METHOD, """
                {"paymaster": "%s", "paymasterData": "0x", "callGasLimit": 70000, "verificationGasLimit": 80000,
                 "preVerificationGas": 90000, "paymasterVerificationGasLimit": 100000, "paymasterPostOpGasLimit": 0,
                 "maxFeePerGas": 3, "maxPriorityFeePerGas": 2}""".formatted(PAYMASTER));

        UserOperation sponsored = paymaster().sponsor(draft(null));

        assertEquals(BigInteger.valueOf(70_000), sponsored.callGasLimit());
        assertEquals(BigInteger.valueOf(100_000), sponsored.paymasterVerificationGasLimit());
        assertEquals(BigInteger.ZERO, sponsored.paymasterPostOpGasLimit());
        assertEquals(BigInteger.valueOf(3), sponsored.maxFeePerGas());
    }

    @Test
    void aJsonRpcErrorIsARejectionByThePaymaster() {
        service.answer(METHOD, new FakeJsonRpcService.Error(-32501, "policy 6f1e… does not cover this operation"));

        OperationRejected rejected = assertThrows(OperationRejected.class, () -> paymaster().sponsor(draft(null)));

        assertEquals("paymaster", rejected.source());
        assertEquals(-32501, rejected.code());
        assertEquals("policy 6f1e… does not cover this operation", rejected.getMessage());
    }

    @Test
    void http503IsAnUnavailableDependency() {
        service.answer(METHOD, new FakeJsonRpcService.HttpStatus(503));

        var e = assertThrows(DependencyUnavailableException.class, () -> paymaster().sponsor(draft(null)));

        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertEquals(1, service.requests().size());
    }

    @Test
    void aClosedPortIsAnUnavailableDependency() {
        var e = assertThrows(DependencyUnavailableException.class,
                () -> paymaster(FakeJsonRpcService.closedUrl(), Duration.ofSeconds(5)).sponsor(draft(null)));

        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    }

    @Test
    void aServiceSlowerThanTheTimeoutIsAnUnavailableDependency() {
        service.answer(METHOD, new FakeJsonRpcService.Hold());
        GasManagerPaymaster paymaster = paymaster(service.url(), Duration.ofMillis(300));

        long start = System.nanoTime();
        var e = assertThrows(DependencyUnavailableException.class, () -> paymaster.sponsor(draft(null)));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(e.getMessage().contains("did not answer " + METHOD), e.getMessage());
        assertTrue(waited.compareTo(Duration.ofMillis(300)) >= 0, "gave up after " + waited);
        assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "gave up only after " + waited);
        assertFalse(service.requests().isEmpty());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
