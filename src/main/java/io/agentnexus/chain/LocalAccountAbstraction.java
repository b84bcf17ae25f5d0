package io.agentnexus.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.TransactionReceiptProcessor;
import org.web3j.utils.Convert;

/**
 * The ERC-4337 contracts of the local chain, from {@code @account-abstraction/contracts@0.7.0} (npm, in
 * contracts/node_modules): the EntryPoint v0.7 at its canonical address (its own salt through the
 * deterministic deployment proxy anvil pre-installs, so the address matches every public chain), a
 * SimpleAccountFactory, and a VerifyingPaymaster whose signer is the operator, funded in the EntryPoint.
 */
final class LocalAccountAbstraction {

    static final String ENTRY_POINT = "0x0000000071727de22e5e9d8baf0edac6f37da032";
    static final String FACTORY_PROPERTY = "agentnexus.wallet.factory";
    private static final String DETERMINISTIC_DEPLOYER = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
    private static final String ENTRY_POINT_SALT = "90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3";
    private static final Path ARTIFACTS = Path.of("contracts/node_modules/@account-abstraction/contracts/artifacts");
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(8_000_000);
    private static final BigInteger PAYMASTER_DEPOSIT = Convert.toWei("100", Convert.Unit.ETHER).toBigIntegerExact();

    private LocalAccountAbstraction() {
    }

    /** Deploys what is missing; the wallet configuration that points at it. */
    static Map<String, String> deploy(Web3j web3j, Credentials operator) throws IOException {
        var transactions = new Transactions(LocalChain.transactions(web3j, operator), LocalChain.receipts(web3j));
        String code = web3j.ethGetCode(ENTRY_POINT, DefaultBlockParameterName.LATEST).send().getCode();
        if (code == null || code.length() <= 2) {
            send(transactions, DETERMINISTIC_DEPLOYER, "0x" + ENTRY_POINT_SALT + bytecode("EntryPoint"), BigInteger.ZERO);
        }
        String entryPointArg = FunctionEncoder.encodeConstructor(List.of(new Address(ENTRY_POINT)));
        String factory = create(transactions, bytecode("SimpleAccountFactory") + entryPointArg);
        String paymaster = create(transactions, bytecode("VerifyingPaymaster") + FunctionEncoder.encodeConstructor(
                List.of(new Address(ENTRY_POINT), new Address(operator.getAddress()))));
        send(transactions, ENTRY_POINT, FunctionEncoder.encode(new Function("depositTo",
                List.of(new Address(paymaster)), List.of())), PAYMASTER_DEPOSIT);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("agentnexus.wallet.entry-point", ENTRY_POINT);
        config.put(FACTORY_PROPERTY, factory);
        config.put("agentnexus.wallet.paymaster.mode", "verifying");
        config.put("agentnexus.wallet.paymaster.address", paymaster);
        return config;
    }

    private record Transactions(RawTransactionManager sender, TransactionReceiptProcessor receipts) {
    }

    private static String create(Transactions transactions, String creationCode) throws IOException {
        TransactionReceipt receipt = send(transactions, null, creationCode, BigInteger.ZERO);
        return receipt.getContractAddress();
    }

    private static TransactionReceipt send(Transactions transactions, String to, String data, BigInteger value)
            throws IOException {
        try {
            var sent = transactions.sender().sendTransaction(GAS_PRICE, GAS_LIMIT, to, data, value, to == null);
            if (sent.hasError()) {
                throw new IllegalStateException("deploying the ERC-4337 contracts failed: " + sent.getError().getMessage());
            }
            TransactionReceipt receipt = transactions.receipts().waitForTransactionReceipt(sent.getTransactionHash());
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException("deploying the ERC-4337 contracts failed in " + receipt.getTransactionHash());
            }
            return receipt;
        } catch (org.web3j.protocol.exceptions.TransactionException e) {
            throw new IllegalStateException("deploying the ERC-4337 contracts failed", e);
        }
    }

    /** Creation bytecode without 0x. */
    private static String bytecode(String contract) {
        Path artifact = ARTIFACTS.resolve(contract + ".json");
        if (!Files.exists(artifact)) {
            LocalChain.installedAnvil(); // the same npm ci installs the artifacts
        }
        try {
            String bytecode = new ObjectMapper().readTree(artifact.toFile()).get("bytecode").asText();
            return bytecode.startsWith("0x") ? bytecode.substring(2) : bytecode;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + artifact, e);
        }
    }
}
