package io.agentnexus.platform.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * A real PostgreSQL 17 and Redis 7 from binaries on Maven Central, for dev mode and tests.
 * The only class that references zonky and embedded-redis: they are provided-scope jars, absent from
 * the production artifact, so nothing reachable in production may name them.
 */
public final class EmbeddedServers implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;

    private EmbeddedServers(EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    /** Fresh, throw-away servers on free ports: one set per test run. */
    public static EmbeddedServers ephemeral() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            int port = freePort();
            RedisServer redis = RedisServer.builder().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            redis.start();
            return new EmbeddedServers(pg, redis, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /**
     * Servers whose data lives in {@code dir} across runs, on fixed ports. Processes orphaned by a
     * killed JVM (they outlive it) are stopped first, so a restart never finds its port taken.
     */
    public static EmbeddedServers persistent(Path dir, int pgPort, int redisPort) {
        try {
            Path pgData = dir.resolve("postgres");
            Path redisData = dir.resolve("redis");
            Files.createDirectories(pgData);
            Files.createDirectories(redisData);
            stopOrphanPostgres(pgData);
            shutdownRedis(redisPort); // an orphan's, if any
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
            RedisServer redis = RedisServer.builder().port(redisPort).bind("127.0.0.1")
                    .setting("dir " + redisData.toAbsolutePath()).setting("save 60 1").build();
            redis.start();
            return new EmbeddedServers(pg, redis, redisPort);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dir, e);
        }
    }

    /** The Quarkus configuration that points the application at these servers. */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.getJdbcUrl("postgres", "postgres"));
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "postgres");
        config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + redisPort);
        return config;
    }

    public int redisPort() {
        return redisPort;
    }

    /** Stops Redis only (the database keeps running): for tests of how the service copes without it. */
    public void stopRedis() {
        shutdownRedis(redisPort);
        redis.stop();
    }

    public void startRedis() {
        redis.start();
    }

    @Override
    public void close() {
        try {
            shutdownRedis(redisPort);
            redis.stop();
        } finally {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A TCP port free on this machine now (the system picks it), for a server about to listen on it. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void stopOrphanPostgres(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroy(); // SIGTERM: PostgreSQL's "smart" shutdown, data stays consistent
            process.onExit().join();
        });
        Files.deleteIfExists(pidFile);
    }

    /*
     * By the SHUTDOWN command rather than a signal: a redis-server whose parent JVM is gone has been
     * seen to ignore SIGTERM. It saves where save points are set (dev data), not elsewhere (tests).
     */
    private static void shutdownRedis(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            Writer out = new java.io.OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
            out.write("SHUTDOWN\r\n");
            out.flush();
            socket.getInputStream().read(); // returns when the server has closed the connection
        } catch (IOException nothingListening) {
            // already stopped
        }
    }
}
