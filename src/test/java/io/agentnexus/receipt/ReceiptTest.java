package io.agentnexus.receipt;

import static io.agentnexus.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.runtime.ContainerRuntime;
import io.agentnexus.support.Api;
import io.agentnexus.support.TestAgents;
import io.agentnexus.support.TestWallet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

/** Signed run receipts, checked as an outsider would: web3j's EIP-712 code and the published signer. */
@QuarkusTest
class ReceiptTest {

    /** The input as sent: keys out of order, a nested object, a fraction, a non-ASCII string. */
    private static final String INPUT = "{\"z\": {\"b\": [1, 2.5], \"a\": \"\u00e9t\u00e9\"}, \"message\": \"hi\", \"a\": 1}";
    /** Its RFC 8785 form, written out by hand. */
    private static final String CANONICAL_INPUT = "{\"a\":1,\"message\":\"hi\",\"z\":{\"a\":\"\u00e9t\u00e9\",\"b\":[1,2.5]}}";
    private static final String CANONICAL_OUTPUT = "{\"echo\":" + CANONICAL_INPUT + "}";
    private static final String ZERO = "0x" + "0".repeat(64);

    @Inject
    ContainerRuntime runtime;

    private String creator;
    private String user;

    @BeforeEach
    void setUp() {
        TestAgents.build(runtime);
        creator = Api.newCreator();
        user = Api.signIn(TestWallet.random());
    }

    private String run(String image, String input) {
        String agentId = Api.freeAgent(creator, image);
        return as(user).body("{\"agentId\": \"" + agentId + "\", \"input\": " + input + "}").post("/api/executions")
                .then().statusCode(202).extract().path("id");
    }

    private JsonPath receipt(String executionId) {
        return as(user).get("/api/executions/" + executionId + "/receipt").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void succeededRunHasAReceiptSignedByThePublishedSigner() throws Exception {
        String id = run(TestAgents.ECHO, INPUT);
        JsonPath execution = Api.awaitExecution(user, id);
        assertEquals("SUCCEEDED", execution.getString("status"));
        JsonPath receipt = receipt(id);

        String expected = typedData(Map.of("executionId", id, "agentId", execution.getString("agentId"),
                "imageDigest", TestAgents.docker("image", "inspect", "--format", "{{.Id}}", TestAgents.ECHO),
                "inputHash", sha256(CANONICAL_INPUT), "outputHash", sha256(CANONICAL_OUTPUT), "status", "SUCCEEDED",
                "exitCode", 0, "startedAt", millis(execution.getString("startedAt")),
                "endedAt", millis(execution.getString("endedAt")), "paymentId", ZERO));
        byte[] digest = new StructuredDataEncoder(expected).hashStructuredData();
        assertEquals(Numeric.toHexString(digest), receipt.getString("digest"), "the digest of the fields we expect");
        assertEquals(Numeric.toHexString(digest), Numeric.toHexString(encoder(receipt).hashStructuredData()),
                "the returned typedData hashes to the same digest");
        String publishedSigner = given().get("/api/platform").then().statusCode(200).extract().path("receiptSigner");
        assertEquals(publishedSigner, recover(digest, receipt.getString("signature")));
        assertEquals(publishedSigner, receipt.getString("signer"));
        assertEquals(sha256(CANONICAL_INPUT), receipt.getString("inputHash"));
        assertEquals(receipt.prettify(), receipt(id).prettify(), "deterministic: the same receipt every time");
    }

    @Test
    void failedRunHasAReceiptWithoutOutput() throws Exception {
        String id = run(TestAgents.FAIL, "{}");
        assertEquals("FAILED", Api.awaitExecution(user, id).getString("status"));
        JsonPath receipt = receipt(id);
        assertEquals("FAILED", receipt.getString("status"));
        assertEquals(3, receipt.getInt("exitCode"));
        assertNull(receipt.getString("outputHash"));
        assertEquals(ZERO, receipt.getString("typedData.message.outputHash"));
        assertEquals(sha256("{}"), receipt.getString("typedData.message.inputHash"));
        assertEquals(3, receipt.getInt("typedData.message.exitCode"));
        assertEquals(platformSigner(), recover(encoder(receipt).hashStructuredData(), receipt.getString("signature")));
    }

    @Test
    void tamperedReceiptRecoversAnotherAddress() throws Exception {
        String id = run(TestAgents.FAIL, "{}");
        Api.awaitExecution(user, id);
        JsonPath receipt = receipt(id);
        Map<String, Object> typedData = receipt.getMap("typedData");
        @SuppressWarnings("unchecked")
        Map<String, Object> message = (Map<String, Object>) typedData.get("message");
        message.put("status", "SUCCEEDED");
        byte[] tampered = new StructuredDataEncoder(new ObjectMapper().writeValueAsString(typedData))
                .hashStructuredData();
        assertNotEquals(platformSigner(), recover(tampered, receipt.getString("signature")));
    }

    @Test
    void runningRunHasNoReceiptYet() {
        String id = run(TestAgents.SLOW, "{}");
        as(user).get("/api/executions/" + id + "/receipt").then().statusCode(409)
                .contentType("application/problem+json").body("status", equalTo(409));
        as(user).post("/api/executions/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void anotherUsersReceiptIsNotFound() {
        String id = run(TestAgents.ECHO, "{}");
        Api.awaitExecution(user, id);
        as(Api.signIn(TestWallet.random())).get("/api/executions/" + id + "/receipt").then().statusCode(404);
        as(Api.admin()).get("/api/executions/" + id + "/receipt").then().statusCode(200);
    }

    private static StructuredDataEncoder encoder(JsonPath receipt) throws Exception {
        return new StructuredDataEncoder(new ObjectMapper().writeValueAsString(receipt.getMap("typedData")));
    }

    private static String platformSigner() {
        return given().get("/api/platform").then().statusCode(200).extract().path("receiptSigner");
    }

    /** The checksummed address whose key made this r ‖ s ‖ v signature of the digest. */
    private static String recover(byte[] digest, String signature) throws Exception {
        byte[] rsv = Numeric.hexStringToByteArray(signature);
        assertEquals(65, rsv.length);
        var data = new Sign.SignatureData(rsv[64], Arrays.copyOfRange(rsv, 0, 32),
                Arrays.copyOfRange(rsv, 32, 64));
        BigInteger publicKey = Sign.signedMessageHashToKey(digest, data);
        return Keys.toChecksumAddress(Keys.getAddress(publicKey));
    }

    /** The typed data we expect, written independently of the service's own definition. */
    private static String typedData(Map<String, Object> message) throws Exception {
        return new ObjectMapper().writeValueAsString(Map.of(
                "types", Map.of(
                        "EIP712Domain", fields("name", "string", "version", "string", "chainId", "uint256"),
                        "RunReceipt", fields("executionId", "string", "agentId", "string", "imageDigest", "string",
                                "inputHash", "bytes32", "outputHash", "bytes32", "status", "string",
                                "exitCode", "int64", "startedAt", "uint64", "endedAt", "uint64",
                                "paymentId", "bytes32")),
                "primaryType", "RunReceipt",
                "domain", Map.of("name", "AgentNexus", "version", "1", "chainId", 31337),
                "message", message));
    }

    private static List<Map<String, String>> fields(String... namesAndTypes) {
        List<Map<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.add(Map.of("name", namesAndTypes[i], "type", namesAndTypes[i + 1]));
        }
        return fields;
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static String sha256(String text) throws Exception {
        return "0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
