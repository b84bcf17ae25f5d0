package io.agentnexus.support;

import io.agentnexus.chain.LocalChain;
import io.agentnexus.platform.dev.EmbeddedServers;
import io.agentnexus.platform.dev.JwtKeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records the JVM's AOT cache (JEP 483/515) of the packaged jar from a start: the jar in the prod profile, with the
 * image's JVM options, against a real PostgreSQL (migrated by a first, unrecorded start) and Redis, until ready;
 * then stopped, and the JVM writes the cache as it exits. Run by the build after the integration tests
 * ({@code ./mvnw verify}, the {@code aot-cache} profile): {@code AotTraining <quarkus-app dir> <jvm.options>}.
 *
 * <p>A start only, on purpose: every class in the cache is loaded at every start and stays resident. A cache
 * trained on the integration tests' requests held ~4,000 more classes, 20 MB of every idle replica's memory,
 * for code that a replica loads on its first use of it as it would without a cache.
 */
public final class AotTraining {

    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args[0]).toAbsolutePath();
        Path jvmOptions = Path.of(args[1]).toAbsolutePath();
        Path cache = app.resolve("app.aot");
        Files.deleteIfExists(cache);
        try (EmbeddedServers servers = EmbeddedServers.ephemeral()) {
            Map<String, String> env = environment(servers.config(), Files.createTempDirectory("agentnexus-aot"));
            start(app, jvmOptions, env, List.of(), app.resolveSibling("aot-migrate.log"));
            start(app, jvmOptions, env, List.of("-XX:AOTCacheOutput=" + cache), app.resolveSibling("aot-training.log"));
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            throw new IllegalStateException("the JVM wrote no AOT cache at " + cache + "; see aot-training.log");
        }
        System.out.printf("AOT cache recorded from a start: %s (%d MB)%n", cache, Files.size(cache) >> 20);
    }

    /** Starts the jar, waits until it is ready, stops it (SIGTERM, as Kubernetes does) and waits for it to exit. */
    private static void start(Path app, Path jvmOptions, Map<String, String> env, List<String> extra, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + jvmOptions));
        command.addAll(extra);
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            awaitReady(process, URI.create("http://127.0.0.1:" + env.get("QUARKUS_HTTP_PORT") + "/q/health/ready"), log);
        } finally {
            process.destroy();
        }
        if (!process.waitFor(2, TimeUnit.MINUTES)) { // writing the cache at exit takes seconds
            process.destroyForcibly();
            throw new IllegalStateException("the service did not stop; see " + log);
        }
    }

    private static void awaitReady(Process process, URI ready, Path log) {
        HttpClient http = HttpClient.newHttpClient();
        Await.until(() -> ready(process, http, ready, log), Boolean::booleanValue, READY_WITHIN,
                "the service ready (see " + log + ")");
    }

    private static boolean ready(Process process, HttpClient http, URI ready, Path log) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (ConnectException notListeningYet) {
            return false; // the HTTP server opens last
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the prod profile needs, as a deployment gives it; the chain and bundler are not reached at start. */
    private static Map<String, String> environment(Map<String, String> servers, Path keys) throws IOException {
        JwtKeyFiles.ensure(keys);
        String port = String.valueOf(EmbeddedServers.freePort());
        String closed = "http://127.0.0.1:" + EmbeddedServers.freePort();
        return Map.ofEntries(
                Map.entry("QUARKUS_HTTP_PORT", port),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", servers.get("quarkus.datasource.jdbc.url")),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", servers.get("quarkus.datasource.username")),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", servers.get("quarkus.datasource.password")),
                Map.entry("QUARKUS_REDIS_HOSTS", servers.get("quarkus.redis.hosts")),
                Map.entry("SMALLRYE_JWT_SIGN_KEY_LOCATION", keys.resolve("jwt-private.pem").toString()),
                Map.entry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.resolve("jwt-public.pem").toString()),
                Map.entry("AGENTNEXUS_AUTH_DOMAIN", "localhost:" + port),
                Map.entry("AGENTNEXUS_AUTH_URI", "http://localhost:" + port),
                Map.entry("AGENTNEXUS_AUTH_ADMIN_ADDRESSES", TestWallet.ADMIN.address()),
                Map.entry("AGENTNEXUS_CHAIN_ID", String.valueOf(LocalChain.CHAIN_ID)),
                Map.entry("AGENTNEXUS_CHAIN_RPC_URL", closed),
                Map.entry("AGENTNEXUS_WALLET_BUNDLER_URL", closed),
                Map.entry("AGENTNEXUS_CHAIN_ESCROW_ADDRESS", "0x0000000000000000000000000000000000000e5c"),
                Map.entry("AGENTNEXUS_CHAIN_ENTITLEMENTS_ADDRESS", "0x0000000000000000000000000000000000000e17"),
                Map.entry("AGENTNEXUS_WALLET_FACTORY", "0x0000000000000000000000000000000000000fac"),
                Map.entry("AGENTNEXUS_WALLET_PAYMASTER_ADDRESS", "0x0000000000000000000000000000000000000a11"),
                Map.entry("AGENTNEXUS_CHAIN_OPERATOR_KEY", LocalChain.OPERATOR_KEY));
    }

}
