package io.agentnexus.support;

import io.agentnexus.chain.LocalChain;
import io.agentnexus.chain.contracts.AgentNexusEntitlements;
import io.agentnexus.chain.contracts.AgentNexusEscrow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/** What a buyer's wallet and a test's view of the chain do, straight against anvil. */
public final class TestChain {

    private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(300_000);
    private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestChain() {
    }

    private static Web3j web3j() {
        return Web3j.build(new HttpService(EmbeddedServersResource.chain().rpcUrl()));
    }

    public static void fund(TestWallet wallet, BigInteger wei) {
        fund(wallet.address(), wei);
    }

    /** Sets the ETH balance of any address (a counterfactual smart account too). */
    public static void fund(String address, BigInteger wei) {
        rpc("anvil_setBalance", List.of(address, Numeric.toHexStringWithPrefix(wei)));
    }

    /** eth_call of an encoded function on a contract, straight against anvil; the raw answer. */
    public static String call(String contract, String data) {
        Web3j web3j = web3j();
        try {
            var answer = web3j.ethCall(org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(
                    null, contract, data), DefaultBlockParameterName.LATEST).send();
            if (answer.hasError()) {
                throw new AssertionError("eth_call failed: " + answer.getError().getMessage());
            }
            return answer.getValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            web3j.shutdown();
        }
    }

    /** Sends the transaction the API handed out ({to, data, value}) from the wallet; its receipt. */
    public static TransactionReceipt send(TestWallet wallet, Map<String, Object> tx) {
        return send(wallet, (String) tx.get("to"), (String) tx.get("data"), new BigInteger(tx.get("value").toString()));
    }

    /** A fixed gas limit, no estimation: a transaction that reverts is still mined, with status 0. */
    public static TransactionReceipt send(TestWallet wallet, String to, String data, BigInteger value) {
        Web3j web3j = web3j();
        try {
            String hash = LocalChain.transactions(web3j, Credentials.create(wallet.keys()))
                    .sendTransaction(GAS_PRICE, GAS_LIMIT, to, data, value).getTransactionHash();
            return LocalChain.receipts(web3j).waitForTransactionReceipt(hash);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            web3j.shutdown();
        }
    }

    public static BigInteger balance(String address) {
        Web3j web3j = web3j();
        try {
            return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            web3j.shutdown();
        }
    }

    /** The receipt of a mined transaction. */
    public static TransactionReceipt receipt(String txHash) {
        Web3j web3j = web3j();
        try {
            return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt()
                    .orElseThrow(() -> new AssertionError("transaction " + txHash + " is not mined"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            web3j.shutdown();
        }
    }

    /** Moves the chain's clock (and mines a block so that views see it). */
    public static void increaseTime(long seconds) {
        rpc("evm_increaseTime", List.of(seconds));
        rpc("evm_mine", List.of());
    }

    public static void setTokenExpiry(long agentId, long seconds) {
        asOperator(entitlements -> entitlements.setTokenExpiry(BigInteger.valueOf(agentId), BigInteger.valueOf(seconds))
                .send());
    }

    /** Mints an access token as the operator, as a confirmed purchase would (for a payment of its own). */
    public static void mint(String wallet, long agentId) {
        byte[] paymentId = new byte[32];
        RANDOM.nextBytes(paymentId);
        asOperator(entitlements -> entitlements.mintForPayment(wallet, BigInteger.valueOf(agentId), paymentId).send());
    }

    public static BigInteger balanceOf(String wallet, long agentId) {
        return asOperator(entitlements -> entitlements.balanceOf(wallet, BigInteger.valueOf(agentId)).send());
    }

    /** The wallet calls the escrow's depositPayment in ETH with whatever arguments it likes; the receipt. */
    public static TransactionReceipt depositPayment(TestWallet from, String paymentId, BigInteger agentId,
            BigInteger amount) {
        String escrow = EmbeddedServersResource.chain().config().get("agentnexus.chain.escrow-address");
        Web3j web3j = web3j();
        try {
            String data = AgentNexusEscrow.load(escrow, web3j, Credentials.create(from.keys()),
                            new StaticGasProvider(GAS_PRICE, GAS_LIMIT))
                    .depositPayment(Numeric.hexStringToByteArray(paymentId), agentId, amount, ZERO_ADDRESS, amount)
                    .encodeFunctionCall();
            return send(from, escrow, data, amount);
        } finally {
            web3j.shutdown();
        }
    }

    public static boolean hasValidToken(String wallet, long agentId) {
        return asOperator(entitlements -> entitlements.hasValidToken(wallet, BigInteger.valueOf(agentId)).send());
    }

    private interface EntitlementsCall<T> {
        T call(AgentNexusEntitlements entitlements) throws Exception;
    }

    private static <T> T asOperator(EntitlementsCall<T> call) {
        Web3j web3j = web3j();
        try {
            return call.call(AgentNexusEntitlements.load(
                    EmbeddedServersResource.chain().config().get("agentnexus.chain.entitlements-address"), web3j,
                    LocalChain.transactions(web3j, Credentials.create(LocalChain.OPERATOR_KEY)),
                    new StaticGasProvider(GAS_PRICE, GAS_LIMIT)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            web3j.shutdown();
        }
    }

    private static void rpc(String method, List<?> params) {
        try {
            new Request<>(method, params, new HttpService(EmbeddedServersResource.chain().rpcUrl()), VoidResponse.class)
                    .send();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
