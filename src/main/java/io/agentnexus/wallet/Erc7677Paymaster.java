package io.agentnexus.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Map;

/**
 * Any ERC-7677 paymaster web service: {@code pm_getPaymasterStubData} for estimation, the bundler's estimate,
 * then {@code pm_getPaymasterData} for the final fields (skipped when the stub says it is final).
 */
final class Erc7677Paymaster implements Paymaster {

    private final JsonRpc rpc;
    private final Bundler bundler;
    private final String entryPoint;
    private final String chainId;
    private final Map<String, String> context;

    Erc7677Paymaster(JsonRpc rpc, Bundler bundler, String entryPoint, long chainId, String policyId) {
        this.rpc = rpc;
        this.bundler = bundler;
        this.entryPoint = entryPoint;
        this.chainId = UserOperation.quantity(BigInteger.valueOf(chainId));
        this.context = policyId == null ? Map.of() : Map.of("policyId", policyId);
    }

    @Override
    public UserOperation sponsor(UserOperation draft) {
        JsonNode stub = call("pm_getPaymasterStubData", draft);
        UserOperation stubbed = draft.withPaymaster(stub.path("paymaster").asText(),
                orZero(JsonRpcBundler.quantity(stub, "paymasterVerificationGasLimit")),
                orZero(JsonRpcBundler.quantity(stub, "paymasterPostOpGasLimit")), stub.path("paymasterData").asText());
        UserOperation.Gas gas = bundler.estimate(stubbed);
        // The stub's own paymaster gas limits, when it gave them, are the service's to decide.
        UserOperation estimated = stubbed.withGas(new UserOperation.Gas(gas.preVerificationGas(),
                gas.verificationGasLimit(), gas.callGasLimit(),
                stub.has("paymasterVerificationGasLimit") ? stubbed.paymasterVerificationGasLimit()
                        : gas.paymasterVerificationGasLimit(),
                stub.has("paymasterPostOpGasLimit") ? stubbed.paymasterPostOpGasLimit() : gas.paymasterPostOpGasLimit()));
        if (stub.path("isFinal").asBoolean(false)) {
            return estimated;
        }
        JsonNode data = call("pm_getPaymasterData", estimated);
        return estimated.withPaymaster(data.path("paymaster").asText(), estimated.paymasterVerificationGasLimit(),
                estimated.paymasterPostOpGasLimit(), data.path("paymasterData").asText());
    }

    private JsonNode call(String method, UserOperation operation) {
        try {
            return rpc.call(method, operation.toRpc(), entryPoint, chainId, context);
        } catch (JsonRpc.RpcError e) {
            throw new OperationRejected("paymaster", e.code(), e.getMessage());
        }
    }

    private static BigInteger orZero(BigInteger value) {
        return value == null ? BigInteger.ZERO : value;
    }
}
