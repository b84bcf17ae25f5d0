package io.agentnexus.receipt;

import io.agentnexus.execution.FinishedRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run receipt as EIP-712 typed data. Every field has a value, so that every library encodes it alike:
 * no output or no payment is bytes32 zero, no exit code is -1, a time never reached is 0, no image is "".
 * Times are Unix milliseconds (a short run starts and ends within one second).
 */
record RunReceipt(String executionId, String agentId, String imageDigest, String inputHash, String outputHash,
        String status, long exitCode, long startedAt, long endedAt, String paymentId) {

    static final String DOMAIN_NAME = "AgentNexus";
    static final String DOMAIN_VERSION = "1";
    static final String PRIMARY_TYPE = "RunReceipt";
    static final String ZERO = "0x" + "0".repeat(64);

    private static final List<Map<String, String>> DOMAIN_TYPE = fields(
            "name", "string", "version", "string", "chainId", "uint256");
    private static final List<Map<String, String>> RECEIPT_TYPE = fields(
            "executionId", "string", "agentId", "string", "imageDigest", "string", "inputHash", "bytes32",
            "outputHash", "bytes32", "status", "string", "exitCode", "int64", "startedAt", "uint64",
            "endedAt", "uint64", "paymentId", "bytes32");

    /** The run's facts with absent values mapped to their conventions; hashes are 0x-hex SHA-256 or null. */
    static RunReceipt of(FinishedRun run, String inputHash, String outputHash) {
        return new RunReceipt(run.id().toString(), run.agentId().toString(),
                run.imageDigest() == null ? "" : run.imageDigest(), inputHash,
                outputHash == null ? ZERO : outputHash, run.status().name(),
                run.exitCode() == null ? -1 : run.exitCode(), millis(run.startedAt()), millis(run.endedAt()),
                run.paymentId() == null ? ZERO : run.paymentId().toLowerCase());
    }

    /** The EIP-712 domain: no verifying contract, receipts are checked off-chain. */
    static Map<String, Object> domain(long chainId) {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", DOMAIN_NAME);
        domain.put("version", DOMAIN_VERSION);
        domain.put("chainId", chainId);
        return domain;
    }

    /** The whole typed data, as eth_signTypedData_v4 takes it. */
    Map<String, Object> typedData(long chainId) {
        Map<String, Object> typedData = new LinkedHashMap<>();
        Map<String, Object> types = new LinkedHashMap<>(); // ordered: the same receipt is the same JSON every time
        types.put("EIP712Domain", DOMAIN_TYPE);
        types.put(PRIMARY_TYPE, RECEIPT_TYPE);
        typedData.put("types", types);
        typedData.put("primaryType", PRIMARY_TYPE);
        typedData.put("domain", domain(chainId));
        typedData.put("message", message());
        return typedData;
    }

    private Map<String, Object> message() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("executionId", executionId);
        message.put("agentId", agentId);
        message.put("imageDigest", imageDigest);
        message.put("inputHash", inputHash);
        message.put("outputHash", outputHash);
        message.put("status", status);
        message.put("exitCode", exitCode);
        message.put("startedAt", startedAt);
        message.put("endedAt", endedAt);
        message.put("paymentId", paymentId);
        return message;
    }

    private static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }

    private static List<Map<String, String>> fields(String... namesAndTypes) {
        List<Map<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            Map<String, String> field = new LinkedHashMap<>();
            field.put("name", namesAndTypes[i]);
            field.put("type", namesAndTypes[i + 1]);
            fields.add(field);
        }
        return List.copyOf(fields);
    }
}
