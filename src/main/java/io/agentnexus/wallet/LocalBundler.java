package io.agentnexus.wallet;

import io.agentnexus.chain.LocalChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real ERC-4337 bundler for dev mode and tests: Pimlico's Alto (npm, in contracts/node_modules) against the
 * local chain, bundling with anvil's dev accounts #7 (executor) and #8 (utility), which nothing else uses,
 * so their nonces never collide with the operator's. Started and stopped like anvil.
 */
public final class LocalBundler implements AutoCloseable {

    /** Anvil's well-known dev accounts #7 and #8: public knowledge, never production keys. */
    private static final String EXECUTOR_KEY = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356";
    private static final String UTILITY_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97";

    private final Process alto;
    private final int port;

    private LocalBundler(Process alto, int port) {
        this.alto = alto;
        this.port = port;
    }

    /** Alto on a free port (or {@code port} when not 0) for the chain at rpcUrl; its log goes to logFile. */
    public static LocalBundler start(String rpcUrl, String entryPoint, int port, Path logFile) {
        LocalChain.installedAnvil(); // the same npm install brings Alto
        int listen = port == 0 ? freePort() : port;
        List<String> command = List.of("node", LocalChain.ALTO.toString(), "--entrypoints", entryPoint,
                "--rpc-url", rpcUrl, "--port", Integer.toString(listen), "--executor-private-keys", EXECUTOR_KEY,
                "--utility-private-key", UTILITY_KEY, "--safe-mode", "false", "--log-level", "warn",
                "--block-time", "200", "--utility-wallet-monitor", "false");
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
            LocalBundler bundler = new LocalBundler(process, listen);
            bundler.awaitReady(logFile);
            return bundler;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Alto bundler (is node installed?)", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The configuration that points the application at this bundler. */
    public Map<String, String> config() {
        return Map.of("agentnexus.wallet.bundler-url", url());
    }

    @Override
    public void close() {
        alto.destroy();
        try {
            if (!alto.waitFor(10, TimeUnit.SECONDS)) {
                alto.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Path logFile) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url())).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_supportedEntryPoints\",\"params\":[]}")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!alto.isAlive()) {
                throw new IllegalStateException("Alto exited with " + alto.exitValue() + "; see " + logFile);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Alto did not answer within 60 s; see " + logFile);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
