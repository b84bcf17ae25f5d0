package io.agentnexus.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.utils.Numeric;

/** Any standard bundler over JSON-RPC: eth_estimateUserOperationGas, eth_sendUserOperation and the lookups. */
@ApplicationScoped
class JsonRpcBundler implements Bundler {

    private final JsonRpc rpc;
    private final String entryPoint;

    JsonRpcBundler(WalletConfig config, ObjectMapper json) {
        this.rpc = new JsonRpc("bundler", config.bundlerUrl(), config.rpcTimeout(), json);
        this.entryPoint = config.entryPoint();
    }

    @Override
    public UserOperation.Gas estimate(UserOperation operation) {
        JsonNode gas = call("eth_estimateUserOperationGas", operation.toRpc(), entryPoint);
        return new UserOperation.Gas(quantity(gas, "preVerificationGas"), quantity(gas, "verificationGasLimit"),
                quantity(gas, "callGasLimit"), quantity(gas, "paymasterVerificationGasLimit"),
                quantity(gas, "paymasterPostOpGasLimit"));
    }

    @Override
    public String send(UserOperation operation) {
        return call("eth_sendUserOperation", operation.toRpc(), entryPoint).asText();
    }

    @Override
    public Optional<Inclusion> receipt(String userOpHash) {
        JsonNode receipt = call("eth_getUserOperationReceipt", userOpHash);
        if (receipt == null || receipt.isNull()) {
            return Optional.empty();
        }
        String reason = receipt.path("reason").asText("");
        return Optional.of(new Inclusion(receipt.path("receipt").path("transactionHash").asText(),
                receipt.path("success").asBoolean(), quantity(receipt, "actualGasCost"),
                quantity(receipt, "actualGasUsed"), reason.isEmpty() || "0x".equals(reason) ? null : reason));
    }

    @Override
    public boolean knows(String userOpHash) {
        JsonNode found = call("eth_getUserOperationByHash", userOpHash);
        return found != null && !found.isNull();
    }

    private JsonNode call(String method, Object... params) {
        try {
            return rpc.call(method, params);
        } catch (JsonRpc.RpcError e) {
            throw new OperationRejected("bundler", e.code(), e.getMessage());
        }
    }

    /** A hex quantity (some bundlers answer plain numbers); null when absent. */
    static BigInteger quantity(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isNumber() ? value.bigIntegerValue() : Numeric.decodeQuantity(value.asText());
    }
}
