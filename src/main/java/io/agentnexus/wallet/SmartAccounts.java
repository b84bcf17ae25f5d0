package io.agentnexus.wallet;

import io.agentnexus.chain.ChainConfig;
import io.agentnexus.platform.error.DependencyUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint192;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * SimpleAccount (v0.7) smart accounts on the chain: the factory's counterfactual address, deployment
 * state, the EntryPoint's nonce, current fees, and the calldata the account executes. Reads retry; an
 * unreachable chain is a {@link DependencyUnavailableException}.
 */
@ApplicationScoped
class SmartAccounts {

    private final WalletConfig config;
    private final Web3j web3j;

    SmartAccounts(WalletConfig config, ChainConfig chain) {
        this.config = config;
        this.web3j = Web3j.build(new HttpService(chain.rpcUrl()));
    }

    @PreDestroy
    void close() {
        web3j.shutdown();
    }

    /** The account of {@code owner}: the factory's getAddress(owner, salt), lowercase. */
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    String address(String owner) {
        Function getAddress = new Function("getAddress", List.of(new Address(owner), new Uint256(config.salt())),
                List.of(new TypeReference<Address>() { }));
        List<Type> result = FunctionReturnDecoder.decode(call(config.factory(), getAddress), getAddress.getOutputParameters());
        if (result.isEmpty()) {
            throw new DependencyUnavailableException("the account factory " + config.factory()
                    + " answered nothing: is it deployed on this chain?", null);
        }
        return ((Address) result.getFirst()).getValue().toLowerCase();
    }

    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    boolean deployed(String account) {
        try {
            String code = web3j.ethGetCode(account, DefaultBlockParameterName.LATEST).send().getCode();
            return code != null && code.length() > 2;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The EntryPoint's next nonce for the account (key 0). */
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    BigInteger nonce(String account) {
        Function getNonce = new Function("getNonce", List.of(new Address(account), new Uint192(BigInteger.ZERO)),
                List.of(new TypeReference<Uint256>() { }));
        List<Type> result = FunctionReturnDecoder.decode(call(config.entryPoint(), getNonce), getNonce.getOutputParameters());
        if (result.isEmpty()) {
            throw new DependencyUnavailableException("the EntryPoint " + config.entryPoint()
                    + " answered nothing: is it deployed on this chain?", null);
        }
        return (BigInteger) result.getFirst().getValue();
    }

    /** EIP-1559 fees with room for the base fee to double before inclusion. */
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    UserOperation.Fees fees() {
        try {
            BigInteger baseFee = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send()
                    .getBlock().getBaseFeePerGas();
            BigInteger priority = web3j.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
            return new UserOperation.Fees(baseFee.shiftLeft(1).add(priority), priority);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** The latest block's timestamp: what the EntryPoint compares validity windows with. */
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    java.time.Instant chainTime() {
        try {
            return java.time.Instant.ofEpochSecond(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
                    .send().getBlock().getTimestamp().longValueExact());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** createAccount(owner, salt): what the factory runs to deploy the account with its first operation. */
    String factoryData(String owner) {
        return FunctionEncoder.encode(new Function("createAccount",
                List.of(new Address(owner), new Uint256(config.salt())), List.of()));
    }

    /** execute(to, value, data) for one call, executeBatch(to[], value[], data[]) for several. */
    static String callData(List<Call> calls) {
        if (calls.size() == 1) {
            Call call = calls.getFirst();
            return FunctionEncoder.encode(new Function("execute", List.of(new Address(call.to()),
                    new Uint256(call.value()), new DynamicBytes(Numeric.hexStringToByteArray(call.data()))), List.of()));
        }
        return FunctionEncoder.encode(new Function("executeBatch", List.of(
                new DynamicArray<>(Address.class, calls.stream().map(c -> new Address(c.to())).toList()),
                new DynamicArray<>(Uint256.class, calls.stream().map(c -> new Uint256(c.value())).toList()),
                new DynamicArray<>(DynamicBytes.class,
                        calls.stream().map(c -> new DynamicBytes(Numeric.hexStringToByteArray(c.data()))).toList())),
                List.of()));
    }

    private String call(String contract, Function function) {
        try {
            EthCall answer = web3j.ethCall(Transaction.createEthCallTransaction(null, contract,
                    FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
            if (answer.hasError()) {
                throw new DependencyUnavailableException("the chain refused " + function.getName() + " on " + contract
                        + ": " + answer.getError().getMessage(), null);
            }
            return answer.getValue();
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static DependencyUnavailableException unreachable(IOException e) {
        return new DependencyUnavailableException("the chain RPC cannot be reached", e);
    }
}
