package io.agentnexus.chain;

import io.agentnexus.chain.contracts.AgentNexusEntitlements;
import io.agentnexus.chain.contracts.AgentNexusEscrow;
import io.agentnexus.platform.error.ApiException;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The chain through web3j and the wrappers generated from the contracts' ABI. Reads retry; every
 * call sits behind a circuit breaker; an unreachable RPC is a {@link DependencyUnavailableException}.
 * Operator transactions are sent one at a time, across replicas ({@link OperatorTransactions}), so that
 * their nonces never collide.
 * The circuit breaker applies to every method, each with its own state.
 */
@ApplicationScoped
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000,
        failOn = DependencyUnavailableException.class)
public class Web3jChain implements Chain {

    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(500_000);
    private static final String DEPOSITED_TOPIC = EventEncoder.encode(AgentNexusEscrow.PAYMENTDEPOSITED_EVENT);
    private static final String RELEASED_TOPIC = EventEncoder.encode(AgentNexusEscrow.PAYMENTRELEASED_EVENT);
    private static final String REFUNDED_TOPIC = EventEncoder.encode(AgentNexusEscrow.PAYMENTREFUNDED_EVENT);
    private static final String PAYMENT_MINTED_TOPIC =
            EventEncoder.encode(AgentNexusEntitlements.PAYMENTENTITLEMENTMINTED_EVENT);
    private static final BigInteger NOT_MINTED = BigInteger.ZERO; // AgentNexusEntitlements.PaymentState.None
    private static final BigInteger BURNED = BigInteger.TWO; // AgentNexusEntitlements.PaymentState.Burned

    private final ChainConfig config;
    private final MeterRegistry metrics;
    private final Web3j web3j;
    private final AgentNexusEscrow escrow;
    private final AgentNexusEntitlements entitlements;
    private final OperatorTransactions operatorTransactions;

    Web3jChain(ChainConfig config, MeterRegistry metrics, OperatorTransactions operatorTransactions) {
        this.config = config;
        this.metrics = metrics;
        this.operatorTransactions = operatorTransactions;
        this.web3j = Web3j.build(new HttpService(config.rpcUrl()));
        var operator = new RawTransactionManager(web3j, Credentials.create(config.operatorKey()), config.id(),
                new PollingTransactionReceiptProcessor(web3j, 250, 240));
        ContractGasProvider gas = new NodeGasPrice(web3j, GAS_LIMIT);
        this.escrow = AgentNexusEscrow.load(config.escrowAddress(), web3j, operator, gas);
        this.entitlements = AgentNexusEntitlements.load(config.entitlementsAddress(), web3j, operator, gas);
    }

    @PreDestroy
    void close() {
        web3j.shutdown();
    }

    @Override
    public long chainId() {
        return config.id();
    }

    @Override
    public String escrowAddress() {
        return config.escrowAddress().toLowerCase();
    }

    @Override
    public UnsignedTransaction depositTransaction(String paymentId, long agentId, BigInteger amount, String token) {
        boolean nativeEth = new BigInteger(Numeric.cleanHexPrefix(token), 16).signum() == 0;
        String data = escrow.depositPayment(Numeric.hexStringToByteArray(paymentId), BigInteger.valueOf(agentId),
                amount, token, nativeEth ? amount : BigInteger.ZERO).encodeFunctionCall();
        return new UnsignedTransaction(escrowAddress(), data, nativeEth ? amount.toString() : "0", config.id());
    }

    @Override
    public UnsignedTransaction approveTransaction(String token, BigInteger amount) {
        String data = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("approve",
                List.of(new org.web3j.abi.datatypes.Address(config.escrowAddress()),
                        new org.web3j.abi.datatypes.generated.Uint256(amount)), List.of()));
        return new UnsignedTransaction(token.toLowerCase(), data, "0", config.id());
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    public Receipt receipt(String txHash) {
        return call("receipt", () -> {
            Optional<TransactionReceipt> found = web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
            if (found.isEmpty()) {
                return new Receipt(Receipt.Status.NOT_FOUND, 0, List.of());
            }
            TransactionReceipt receipt = found.get();
            if (!receipt.isStatusOK()) {
                return new Receipt(Receipt.Status.REVERTED, 0, List.of());
            }
            long confirmations = web3j.ethBlockNumber().send().getBlockNumber()
                    .subtract(receipt.getBlockNumber()).longValueExact() + 1;
            List<Deposit> deposits = receipt.getLogs().stream()
                    .filter(log -> ours(log) && DEPOSITED_TOPIC.equals(log.getTopics().getFirst()))
                    .map(Web3jChain::deposit).toList();
            return new Receipt(Receipt.Status.SUCCEEDED, confirmations, deposits);
        });
    }

    /** Retried: the contract mints at most once per payment, so a second attempt after a lost answer is a no-op. */
    @Override
    @Retry(maxRetries = 2, delay = 500, retryOn = DependencyUnavailableException.class)
    public String mintForPayment(String paymentId, String wallet, long agentId) {
        byte[] id = Numeric.hexStringToByteArray(paymentId);
        return operatorTransactions.serialised(() -> {
            // Read under the lock: a payment another caller or replica has minted needs no transaction (and gas);
            // every caller still learns the one mint transaction, from its event.
            if (!NOT_MINTED.equals(paymentState(id))) {
                return mintTransactionOf(paymentId);
            }
            return transaction("mintForPayment",
                    () -> entitlements.mintForPayment(wallet, BigInteger.valueOf(agentId), id).send());
        });
    }

    @Override
    @Retry(maxRetries = 2, delay = 500, retryOn = DependencyUnavailableException.class)
    public void burnForPayment(String paymentId) {
        byte[] id = Numeric.hexStringToByteArray(paymentId);
        operatorTransactions.serialised(() -> BURNED.equals(paymentState(id)) ? null
                : transaction("burnForPayment", () -> entitlements.burnForPayment(id).send()));
    }

    /** The transaction that minted this payment's token (its PaymentEntitlementMinted event); null if none is found. */
    private String mintTransactionOf(String paymentId) {
        return call("getLogs", () -> {
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(config.startBlock())),
                    DefaultBlockParameterName.LATEST, config.entitlementsAddress());
            filter.addSingleTopic(PAYMENT_MINTED_TOPIC);
            filter.addSingleTopic(paymentId.toLowerCase());
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IOException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            return logs.getLogs().stream().map(result -> ((Log) result.get()).getTransactionHash()).findFirst()
                    .orElse(null);
        });
    }

    private BigInteger paymentState(byte[] paymentId) {
        return call("paymentMints", () -> entitlements.paymentMints(paymentId).send()).component2();
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    public boolean hasValidToken(String wallet, long agentId) {
        return call("hasValidToken", () -> entitlements.hasValidToken(wallet, BigInteger.valueOf(agentId)).send());
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    public long tokenExpirySeconds(long agentId) {
        return call("tokenExpiry", () -> entitlements.tokenExpiry(BigInteger.valueOf(agentId)).send()).longValueExact();
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    public long refundWindowSeconds() {
        return call("refundWindow", () -> escrow.refundWindow().send()).longValueExact();
    }

    @Override
    public String release(String paymentId, long agentId, String creatorWallet) {
        byte[] id = Numeric.hexStringToByteArray(paymentId);
        BigInteger agent = BigInteger.valueOf(agentId);
        return operatorTransactions.serialised(() -> {
            String payout = call("creatorPayout", () -> escrow.creatorPayout(agent).send());
            if (!creatorWallet.equalsIgnoreCase(payout)) {
                transaction("setCreatorPayout", () -> escrow.setCreatorPayout(agent, creatorWallet).send());
            }
            return transaction("releasePayment", () -> escrow.releasePayment(id).send());
        });
    }

    @Override
    public String refund(String paymentId) {
        byte[] id = Numeric.hexStringToByteArray(paymentId);
        return operatorTransactions.serialised(
                () -> transaction("refundPayment", () -> escrow.refundPayment(id).send()));
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    public long confirmedBlock() {
        return call("blockNumber", () -> web3j.ethBlockNumber().send().getBlockNumber())
                .longValueExact() - (config.confirmations() - 1);
    }

    @Override
    @Retry(maxRetries = 2, delay = 200, retryOn = DependencyUnavailableException.class)
    public List<EscrowEvent> escrowEvents(long fromBlock, long toBlock) {
        return call("getLogs", () -> {
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), config.escrowAddress());
            filter.addOptionalTopics(DEPOSITED_TOPIC, RELEASED_TOPIC, REFUNDED_TOPIC);
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IOException("eth_getLogs failed: " + logs.getError().getMessage());
            }
            List<EscrowEvent> events = new ArrayList<>();
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log log = (Log) result.get();
                String topic = log.getTopics().getFirst();
                if (DEPOSITED_TOPIC.equals(topic)) {
                    events.add(new Deposited(deposit(log)));
                } else if (RELEASED_TOPIC.equals(topic)) {
                    events.add(new Released(log.getTopics().get(1), log.getTransactionHash()));
                } else if (REFUNDED_TOPIC.equals(topic)) {
                    events.add(new Refunded(log.getTopics().get(1), log.getTransactionHash()));
                }
            }
            return events;
        });
    }

    /** The chain id the RPC node reports: readiness compares it with ours. */
    long rpcChainId() {
        return call("chainId", () -> web3j.ethChainId().send().getChainId()).longValueExact();
    }

    private boolean ours(Log log) {
        return config.escrowAddress().equalsIgnoreCase(log.getAddress()) && !log.getTopics().isEmpty();
    }

    private static Deposit deposit(Log log) {
        var event = AgentNexusEscrow.getPaymentDepositedEventFromLog(log);
        return new Deposit(Numeric.toHexString(event.paymentId), event.payer.toLowerCase(),
                event.agentId, event.amount, event.token.toLowerCase(),
                log.getTransactionHash().toLowerCase(), log.getBlockNumber().longValueExact());
    }

    /**
     * An operator transaction (inside {@link OperatorTransactions#serialised}); its hash once mined successfully.
     * Counted by outcome once known (mined or reverted: the revert rate's denominator); an unreachable RPC is not.
     */
    private String transaction(String method, Callable<TransactionReceipt> send) {
        TransactionReceipt receipt;
        try {
            receipt = call(method, send);
        } catch (ApiException reverted) { // how call() reports a revert
            metrics.counter("agentnexus.chain.transactions", "method", method, "outcome", "reverted").increment();
            throw reverted;
        }
        metrics.counter("agentnexus.chain.transactions", "method", method, "outcome", "mined").increment();
        return receipt.getTransactionHash();
    }

    private <T> T call(String method, Callable<T> rpc) {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "success";
        try {
            return rpc.call();
        } catch (TransactionException e) {
            outcome = "reverted";
            metrics.counter("agentnexus.chain.reverts", "method", method).increment();
            // The contract refused (e.g. a payment settled on-chain before our records caught up).
            throw ApiException.conflict("the contract rejected " + method + ": " + e.getMessage());
        } catch (IOException e) {
            outcome = "unavailable";
            throw new DependencyUnavailableException("the chain RPC cannot be reached (" + method + ")", e);
        } catch (RuntimeException e) {
            outcome = "error";
            if (e.getCause() instanceof IOException io) {
                throw new DependencyUnavailableException("the chain RPC cannot be reached (" + method + ")", io);
            }
            throw e;
        } catch (Exception e) {
            outcome = "error";
            throw new IllegalStateException("chain call " + method + " failed: " + e.getMessage(), e);
        } finally {
            sample.stop(metrics.timer("agentnexus.chain.calls", "method", method, "outcome", outcome));
        }
    }
}
