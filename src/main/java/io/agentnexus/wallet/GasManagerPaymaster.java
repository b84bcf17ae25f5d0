package io.agentnexus.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alchemy's Gas Manager: one {@code alchemy_requestGasAndPaymasterAndData} call under a policy id returns the
 * gas limits, fees and paymaster fields together (Alchemy's bundler estimates on its side).
 */
final class GasManagerPaymaster implements Paymaster {

    private final JsonRpc rpc;
    private final String policyId;
    private final String entryPoint;

    GasManagerPaymaster(JsonRpc rpc, String policyId, String entryPoint) {
        this.rpc = rpc;
        this.policyId = policyId;
        this.entryPoint = entryPoint;
    }

    @Override
    public UserOperation sponsor(UserOperation draft) {
        Map<String, String> partial = new LinkedHashMap<>();
        partial.put("sender", draft.sender());
        partial.put("nonce", UserOperation.quantity(draft.nonce()));
        if (draft.factory() != null) {
            partial.put("factory", draft.factory());
            partial.put("factoryData", draft.factoryData());
        }
        partial.put("callData", draft.callData());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("policyId", policyId);
        request.put("entryPoint", entryPoint);
        request.put("dummySignature", UserOperation.DUMMY_SIGNATURE);
        request.put("userOperation", partial);
        request.put("overrides", Map.of("maxFeePerGas", UserOperation.quantity(draft.maxFeePerGas()),
                "maxPriorityFeePerGas", UserOperation.quantity(draft.maxPriorityFeePerGas())));
        JsonNode answer;
        try {
            answer = rpc.call("alchemy_requestGasAndPaymasterAndData", request);
        } catch (JsonRpc.RpcError e) {
            throw new OperationRejected("paymaster", e.code(), e.getMessage());
        }
        var fees = new UserOperation.Fees(JsonRpcBundler.quantity(answer, "maxFeePerGas"),
                JsonRpcBundler.quantity(answer, "maxPriorityFeePerGas"));
        var gas = new UserOperation.Gas(JsonRpcBundler.quantity(answer, "preVerificationGas"),
                JsonRpcBundler.quantity(answer, "verificationGasLimit"), JsonRpcBundler.quantity(answer, "callGasLimit"),
                JsonRpcBundler.quantity(answer, "paymasterVerificationGasLimit"),
                JsonRpcBundler.quantity(answer, "paymasterPostOpGasLimit"));
        return draft.withFees(fees).withPaymaster(answer.path("paymaster").asText(), gas.paymasterVerificationGasLimit(),
                gas.paymasterPostOpGasLimit(), answer.path("paymasterData").asText()).withGas(gas);
    }
}
