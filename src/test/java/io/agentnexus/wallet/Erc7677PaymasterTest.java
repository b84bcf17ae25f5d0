package io.agentnexus.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** An ERC-7677 paymaster service (fake, over HTTP) with a fake bundler for the estimate in between. */
class Erc7677PaymasterTest {

    private static final String STUB = "pm_getPaymasterStubData";
    private static final String DATA = "pm_getPaymasterData";
    private static final String ENTRY_POINT = "0x0000000071727De22E5E9d8BAf0edAc6f37da032";
    private static final long CHAIN_ID = 84532;
    private static final String CHAIN_ID_HEX = "0x14a34";
    private static final String POLICY = "sp_clever_policy";
    private static final String SENDER = "0x1f9090aae28b8a3dceadf281b0f12828e676c326";
    private static final String CALL_DATA = "0xb61d27f6" + "00".repeat(12) + "bb".repeat(20) + "00".repeat(64);
    private static final String STUB_PAYMASTER = "0x2cc0c7981d846b9f2a16276556f6e8cb52bfb633";
    private static final String STUB_DATA = "0x" + "00".repeat(12) + "ff".repeat(65);
    private static final String FINAL_PAYMASTER = "0x00000000000000fb866daaa79352cc568a005d96";
    private static final String FINAL_DATA = "0x" + "00".repeat(12) + "1234".repeat(32) + "1b";

    /** The bundler's estimate: every number distinct from the stub's. */
    private static final UserOperation.Gas ESTIMATE = new UserOperation.Gas(BigInteger.valueOf(0xa1),
            BigInteger.valueOf(0xa2), BigInteger.valueOf(0xa3), BigInteger.valueOf(0xa4), BigInteger.valueOf(0xa5));

    private final ObjectMapper json = new ObjectMapper();
    private final FakeJsonRpcService service = new FakeJsonRpcService();
    private final FixedGasBundler bundler = new FixedGasBundler(ESTIMATE);

    @AfterEach
    void stop() {
        service.close();
    }

    private Erc7677Paymaster paymaster(String url, Duration timeout, String policy) {
        return new Erc7677Paymaster(new JsonRpc("paymaster", url, timeout, json), bundler, ENTRY_POINT, CHAIN_ID,
                policy);
    }

    private Erc7677Paymaster paymaster() {
        return paymaster(service.url(), Duration.ofSeconds(5), POLICY);
    }

    private static UserOperation draft() {
        return UserOperation.draft(SENDER, BigInteger.valueOf(3), null, null, CALL_DATA,
                new UserOperation.Fees(BigInteger.valueOf(1_000), BigInteger.valueOf(100)));
    }

    @Test
    void finalStubSkipsPmGetPaymasterDataAndKeepsTheStubsGasLimits() throws Exception {
        service.result(STUB, """
                {"paymaster": "%s", "paymasterData": "%s", "paymasterVerificationGasLimit": "0x7000",
                 "paymasterPostOpGasLimit": "0x80", "isFinal": true}""".formatted(STUB_PAYMASTER, STUB_DATA));

        UserOperation sponsored = paymaster().sponsor(draft());

        List<FakeJsonRpcService.Request> requests = service.requests();
        assertEquals(List.of(STUB), requests.stream().map(FakeJsonRpcService.Request::method).toList());
        JsonNode expected = json.readTree("""
                {"jsonrpc": "2.0", "id": 1, "method": "pm_getPaymasterStubData", "params": [
                  {"sender": "%s", "nonce": "0x3", "callData": "%s", "callGasLimit": "0x0",
                   "verificationGasLimit": "0x0", "preVerificationGas": "0x0", "maxFeePerGas": "0x3e8",
                   "maxPriorityFeePerGas": "0x64", "signature": "%s"},
                  "%s", "%s", {"policyId": "%s"}]}"""
                .formatted(SENDER, CALL_DATA, UserOperation.DUMMY_SIGNATURE, ENTRY_POINT, CHAIN_ID_HEX, POLICY));
        assertEquals(expected, requests.getFirst().body());

        assertEquals(STUB_PAYMASTER, sponsored.paymaster());
        assertEquals(STUB_DATA, sponsored.paymasterData());
        assertEquals(BigInteger.valueOf(0x7000), sponsored.paymasterVerificationGasLimit());
        assertEquals(BigInteger.valueOf(0x80), sponsored.paymasterPostOpGasLimit());
        assertEquals(ESTIMATE.preVerificationGas(), sponsored.preVerificationGas());
        assertEquals(ESTIMATE.verificationGasLimit(), sponsored.verificationGasLimit());
        assertEquals(ESTIMATE.callGasLimit(), sponsored.callGasLimit());
        assertEquals(BigInteger.valueOf(1_000), sponsored.maxFeePerGas());
        assertEquals(BigInteger.valueOf(100), sponsored.maxPriorityFeePerGas());
        assertEquals(UserOperation.DUMMY_SIGNATURE, sponsored.signature());
    }

    @Test
    void theBundlerEstimatesWithTheStubsPaymasterFields() {
        service.result(STUB, """
                {"paymaster": "%s", "paymasterData": "%s", "paymasterVerificationGasLimit": "0x7000",
                 "paymasterPostOpGasLimit": "0x80", "isFinal": true}""".formatted(STUB_PAYMASTER, STUB_DATA));

        paymaster().sponsor(draft());

        assertEquals(1, bundler.estimated.size());
        UserOperation estimated = bundler.estimated.getFirst();
        assertEquals(STUB_PAYMASTER, estimated.paymaster());
        assertEquals(STUB_DATA, estimated.paymasterData());
        assertEquals(BigInteger.valueOf(0x7000), estimated.paymasterVerificationGasLimit());
        assertEquals(BigInteger.valueOf(0x80), estimated.paymasterPostOpGasLimit());
        assertEquals(draft().callData(), estimated.callData());
    }

    @Test
    void nonFinalStubCallsPmGetPaymasterDataWithTheEstimatedOperation() throws Exception {
        // no paymaster gas limits in the stub: the bundler's count
        service.result(STUB, """
                {"paymaster": "%s", "paymasterData": "%s", "isFinal": false}""".formatted(STUB_PAYMASTER, STUB_DATA));
        service.result(DATA, """
                {"paymaster": "%s", "paymasterData": "%s"}""".formatted(FINAL_PAYMASTER, FINAL_DATA));

        UserOperation sponsored = paymaster().sponsor(draft());

        List<FakeJsonRpcService.Request> requests = service.requests();
        assertEquals(List.of(STUB, DATA), requests.stream().map(FakeJsonRpcService.Request::method).toList());
        JsonNode expected = json.readTree("""
                {"jsonrpc": "2.0", "id": 2, "method": "pm_getPaymasterData", "params": [
                  {"sender": "%s", "nonce": "0x3", "callData": "%s", "callGasLimit": "0xa3",
                   "verificationGasLimit": "0xa2", "preVerificationGas": "0xa1", "maxFeePerGas": "0x3e8",
                   "maxPriorityFeePerGas": "0x64", "paymaster": "%s", "paymasterVerificationGasLimit": "0xa4",
                   "paymasterPostOpGasLimit": "0xa5", "paymasterData": "%s", "signature": "%s"},
                  "%s", "%s", {"policyId": "%s"}]}"""
                .formatted(SENDER, CALL_DATA, STUB_PAYMASTER, STUB_DATA, UserOperation.DUMMY_SIGNATURE, ENTRY_POINT,
                        CHAIN_ID_HEX, POLICY));
        assertEquals(expected, requests.get(1).body());

        assertEquals(FINAL_PAYMASTER, sponsored.paymaster());
        assertEquals(FINAL_DATA, sponsored.paymasterData());
        assertEquals(ESTIMATE.paymasterVerificationGasLimit(), sponsored.paymasterVerificationGasLimit());
        assertEquals(ESTIMATE.paymasterPostOpGasLimit(), sponsored.paymasterPostOpGasLimit());
        assertEquals(ESTIMATE.callGasLimit(), sponsored.callGasLimit());
        assertEquals(ESTIMATE.verificationGasLimit(), sponsored.verificationGasLimit());
        assertEquals(ESTIMATE.preVerificationGas(), sponsored.preVerificationGas());
    }

    @Test
    void aStubWithoutIsFinalIsNotFinal() {
        service.result(STUB, """
                {"paymaster": "%s", "paymasterData": "%s", "paymasterVerificationGasLimit": "0x7000",
                 "paymasterPostOpGasLimit": "0x80"}""".formatted(STUB_PAYMASTER, STUB_DATA));
        service.result(DATA, """
                {"paymaster": "%s", "paymasterData": "%s"}""".formatted(STUB_PAYMASTER, FINAL_DATA));

        UserOperation sponsored = paymaster().sponsor(draft());

        assertEquals(2, service.requests().size());
        assertEquals(FINAL_DATA, sponsored.paymasterData());
        // the stub's limits went into pm_getPaymasterData and stay
        JsonNode sent = service.requests().get(1).params().get(0);
        assertEquals("0x7000", sent.get("paymasterVerificationGasLimit").asText());
        assertEquals("0x80", sent.get("paymasterPostOpGasLimit").asText());
        assertEquals(BigInteger.valueOf(0x7000), sponsored.paymasterVerificationGasLimit());
        assertEquals(BigInteger.valueOf(0x80), sponsored.paymasterPostOpGasLimit());
    }

    @Test
    void withoutAPolicyTheContextIsEmpty() {
        service.result(STUB, """
                {"paymaster": "%s", "paymasterData": "%s", "isFinal": true}""".formatted(STUB_PAYMASTER, STUB_DATA));

        paymaster(service.url(), Duration.ofSeconds(5), null).sponsor(draft());

        JsonNode context = service.requests().getFirst().params().get(3);
        assertTrue(context.isObject(), context.toString());
        assertEquals(0, context.size());
    }

    @Test
    void aJsonRpcErrorOnTheStubIsARejectionByThePaymaster() {
        service.answer(STUB, new FakeJsonRpcService.Error(-32602, "unsupported entry point"));

        OperationRejected rejected = assertThrows(OperationRejected.class, () -> paymaster().sponsor(draft()));

        assertEquals("paymaster", rejected.source());
        assertEquals(-32602, rejected.code());
        assertEquals("unsupported entry point", rejected.getMessage());
        assertTrue(bundler.estimated.isEmpty());
    }

    @Test
    void aJsonRpcErrorOnTheFinalDataIsARejectionByThePaymaster() {
        service.result(STUB, """
                {"paymaster": "%s", "paymasterData": "%s"}""".formatted(STUB_PAYMASTER, STUB_DATA));
        service.answer(DATA, new FakeJsonRpcService.Error(-32501, "execution reverted: AA33 reverted"));

        OperationRejected rejected = assertThrows(OperationRejected.class, () -> paymaster().sponsor(draft()));

        assertEquals("paymaster", rejected.source());
        assertEquals(-32501, rejected.code());
        assertEquals("AA33", rejected.entryPointCode());
    }

    @Test
    void http503IsAnUnavailableDependency() {
        service.answer(STUB, new FakeJsonRpcService.HttpStatus(503));

        var e = assertThrows(DependencyUnavailableException.class, () -> paymaster().sponsor(draft()));

        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertTrue(bundler.estimated.isEmpty());
    }

    @Test
    void aClosedPortIsAnUnavailableDependency() {
        var e = assertThrows(DependencyUnavailableException.class,
                () -> paymaster(FakeJsonRpcService.closedUrl(), Duration.ofSeconds(5), POLICY).sponsor(draft()));

        assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
    }

    @Test
    void aServiceSlowerThanTheTimeoutIsAnUnavailableDependency() {
        service.answer(STUB, new FakeJsonRpcService.Hold());
        Erc7677Paymaster paymaster = paymaster(service.url(), Duration.ofMillis(300), POLICY);

        long start = System.nanoTime();
        var e = assertThrows(DependencyUnavailableException.class, () -> paymaster.sponsor(draft()));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(e.getMessage().contains("did not answer " + STUB), e.getMessage());
        assertTrue(waited.compareTo(Duration.ofMillis(300)) >= 0, "gave up after " + waited);
        assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "gave up only after " + waited);
    }
}
