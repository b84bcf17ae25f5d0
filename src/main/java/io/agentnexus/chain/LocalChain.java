package io.agentnexus.chain;

import io.agentnexus.chain.contracts.AgentNexusEntitlements;
import io.agentnexus.chain.contracts.AgentNexusEscrow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * A real local chain for dev mode and tests: anvil (from npm, in contracts/node_modules) with our two
 * contracts deployed by anvil's well-known dev account #0, which is also their owner and operator, and the
 * ERC-4337 contracts smart accounts need ({@link LocalAccountAbstraction}).
 * With a state file, the chain and its contracts outlive a restart.
 */
public final class LocalChain implements AutoCloseable {

    /** Anvil's dev account #0: public knowledge, never a production key. */
    public static final String OPERATOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    public static final long CHAIN_ID = 31337;
    public static final Path ANVIL = Path.of("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    private static final int PLATFORM_FEE_BPS = 250;

    private final Process anvil;
    private final int port;
    private final Map<String, String> config;

    private LocalChain(Process anvil, int port, Map<String, String> config) {
        this.anvil = anvil;
        this.port = port;
        this.config = config;
    }

    /**
     * How a receipt is awaited on this chain. Anvil mines each transaction as it arrives, but the receipt can
     * lag the hash by a moment (more so on a busy machine): polled every 50 ms, not at web3j's default of 15 s,
     * a mainnet block time, which stalled a deployment or a test for 15 s whenever the first look missed.
     */
    public static TransactionReceiptProcessor receipts(Web3j web3j) {
        return new PollingTransactionReceiptProcessor(web3j, 50, 400);
    }

    /** Transactions signed by {@code sender}, their receipts awaited as {@link #receipts} says. */
    public static RawTransactionManager transactions(Web3j web3j, Credentials sender) {
        return new RawTransactionManager(web3j, sender, CHAIN_ID, receipts(web3j));
    }

    /** A throw-away chain on a free port. */
    public static LocalChain ephemeral() {
        return start(freePort(), null);
    }

    /** A chain whose state (and deployed contracts) lives in {@code dir} across runs. */
    public static LocalChain persistent(Path dir, int port) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(port, dir);
    }

    private static LocalChain start(int port, Path dir) {
        Path anvil = installedAnvil();
        List<String> command = new java.util.ArrayList<>(List.of(anvil.toString(), "--port", Integer.toString(port),
                "--chain-id", Long.toString(CHAIN_ID), "--silent"));
        if (dir != null) {
            command.addAll(List.of("--state", dir.resolve("anvil-state.json").toString(), "--state-interval", "5"));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String rpcUrl = "http://127.0.0.1:" + port;
            Web3j web3j = Web3j.build(new HttpService(rpcUrl));
            try {
                awaitRpc(web3j, process);
                Map<String, String> config = dir == null ? deploy(web3j, rpcUrl) : deployedOrDeploy(web3j, rpcUrl, dir);
                return new LocalChain(process, port, config);
            } finally {
                web3j.shutdown();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start anvil", e);
        }
    }

    /** The Quarkus configuration that points the application at this chain. */
    public Map<String, String> config() {
        return config;
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        anvil.destroy(); // SIGTERM: anvil writes its state file on the way out
        try {
            if (!anvil.waitFor(10, TimeUnit.SECONDS)) {
                anvil.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Alto bundler's command-line entry (npm, beside anvil). */
    public static final Path ALTO = Path.of("contracts/node_modules/@pimlico/alto/esm/cli/alto.js");

    /** The anvil binary, installing the contracts' npm packages (anvil, Alto, the ERC-4337 artifacts) if missing. */
    public static synchronized Path installedAnvil() {
        if (!Files.isExecutable(ANVIL) || !Files.exists(ALTO)) {
            try {
                Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(Path.of("contracts").toFile())
                        .inheritIO().start();
                if (npm.waitFor() != 0 || !Files.isExecutable(ANVIL) || !Files.exists(ALTO)) {
                    throw new IllegalStateException("npm ci in contracts/ did not install anvil at " + ANVIL);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("anvil is missing and npm could not be run to install it", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return ANVIL;
    }

    private static void awaitRpc(Web3j web3j, Process process) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil exited with " + process.exitValue());
            }
            try {
                web3j.ethChainId().send();
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("anvil did not answer within 20 s");
    }

    /** Reuses the contracts recorded in dir when the chain state still has their code. */
    private static Map<String, String> deployedOrDeploy(Web3j web3j, String rpcUrl, Path dir) throws IOException {
        Path recorded = dir.resolve("contracts.properties");
        if (Files.exists(recorded)) {
            Properties properties = new Properties();
            try (var in = Files.newInputStream(recorded)) {
                properties.load(in);
            }
            String escrow = properties.getProperty("agentnexus.chain.escrow-address");
            String factory = properties.getProperty(LocalAccountAbstraction.FACTORY_PROPERTY);
            if (hasCode(web3j, escrow) && factory != null && hasCode(web3j, factory)) {
                Map<String, String> config = new LinkedHashMap<>();
                properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
                config.put("agentnexus.chain.rpc-url", rpcUrl);
                config.put("agentnexus.chain.operator-key", OPERATOR_KEY);
                return config;
            }
        }
        Map<String, String> config = deploy(web3j, rpcUrl);
        Properties properties = new Properties();
        properties.putAll(config);
        properties.remove("agentnexus.chain.operator-key");
        try (var out = Files.newOutputStream(recorded)) {
            properties.store(out, "contracts deployed on the dev chain");
        }
        return config;
    }

    private static boolean hasCode(Web3j web3j, String address) throws IOException {
        String code = web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send().getCode();
        return code != null && code.length() > 2;
    }

    private static Map<String, String> deploy(Web3j web3j, String rpcUrl) throws IOException {
        Credentials operator = Credentials.create(OPERATOR_KEY);
        var transactions = transactions(web3j, operator);
        var gas = new StaticGasProvider(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(6_000_000));
        try {
            long startBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
            AgentNexusEscrow escrow = AgentNexusEscrow.deploy(web3j, transactions, gas, operator.getAddress(),
                    operator.getAddress(), BigInteger.valueOf(PLATFORM_FEE_BPS)).send();
            AgentNexusEntitlements entitlements = AgentNexusEntitlements.deploy(web3j, transactions, gas,
                    operator.getAddress(), "https://agentnexus.local/tokens/{id}.json").send();
            Map<String, String> config = new LinkedHashMap<>();
            config.put("agentnexus.chain.id", Long.toString(CHAIN_ID));
            config.put("agentnexus.chain.rpc-url", rpcUrl);
            config.put("agentnexus.chain.escrow-address", escrow.getContractAddress());
            config.put("agentnexus.chain.entitlements-address", entitlements.getContractAddress());
            config.put("agentnexus.chain.operator-key", OPERATOR_KEY);
            config.put("agentnexus.chain.start-block", Long.toString(startBlock));
            config.putAll(LocalAccountAbstraction.deploy(web3j, operator));
            return config;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not deploy the contracts to anvil", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
