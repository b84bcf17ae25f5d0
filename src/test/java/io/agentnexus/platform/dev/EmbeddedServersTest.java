package io.agentnexus.platform.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev-mode servers: real processes whose data outlives a restart, even one after a kill. */
class EmbeddedServersTest {

    @TempDir
    Path dir;

    @Test
    void databaseKeepsItsDataAcrossRestarts() throws Exception {
        int pgPort = EmbeddedServers.freePort();
        int redisPort = EmbeddedServers.freePort();
        try (EmbeddedServers servers = EmbeddedServers.persistent(dir, pgPort, redisPort)) {
            execute(servers.config(), "CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedServers servers = EmbeddedServers.persistent(dir, pgPort, redisPort)) {
            assertEquals("still here", query(servers.config(), "SELECT v FROM kept"));
            assertEquals("redis://127.0.0.1:" + redisPort, servers.config().get("quarkus.redis.hosts"));
        }
    }

    @Test
    void orphansOfAKilledJvmAreStoppedBeforeTheNextStart() throws Exception {
        int pgPort = EmbeddedServers.freePort();
        int redisPort = EmbeddedServers.freePort();
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KilledJvm.class.getName(),
                dir.toString(), Integer.toString(pgPort), Integer.toString(redisPort))
                .redirectErrorStream(true).start();
        String line;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream()))) {
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                // the child's start-up log
            }
            jvm.destroyForcibly().waitFor(); // kill -9: its PostgreSQL and Redis live on
        }
        assertTrue(Files.exists(dir.resolve("postgres/postmaster.pid")), "the orphan left its pid file");
        try (EmbeddedServers next = EmbeddedServers.persistent(dir, pgPort, redisPort)) {
            assertEquals("7", query(next.config(), "SELECT v FROM survived"));
        }
    }

    /** Starts the servers, writes a row, says "ready" and waits to be killed. */
    public static final class KilledJvm {
        public static void main(String[] args) throws Exception {
            EmbeddedServers servers = EmbeddedServers.persistent(Path.of(args[0]), Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]));
            execute(servers.config(), "CREATE TABLE survived (v INT); INSERT INTO survived VALUES (7)");
            System.out.println("ready");
            Thread.sleep(60_000);
        }
    }

    @Test
    void devConfigSourceStartsTheServersAndKeysOnceOnlyInDevMode() throws Exception {
        Map<String, String> values = Map.of(
                "agentnexus.dev.data-dir", dir.toString(),
                "agentnexus.dev.postgres-port", Integer.toString(EmbeddedServers.freePort()),
                "agentnexus.dev.redis-port", Integer.toString(EmbeddedServers.freePort()),
                "agentnexus.dev.chain-port", Integer.toString(EmbeddedServers.freePort()));
        try {
            assertDevConfigSource(values);
        } finally {
            // Stopped here, not by the shutdown hook: the test JVM may not run hooks before the temp dir goes.
            DevServicesConfigSource.stopStartedServers();
        }
    }

    private static void assertDevConfigSource(Map<String, String> values) throws Exception {
        DevServicesConfigSource factory = new DevServicesConfigSource();
        assertTrue(!factory.getConfigSources(FakeConfigSourceContext.of("test", values)).iterator().hasNext());
        var dev = factory.getConfigSources(FakeConfigSourceContext.of("dev", values)).iterator().next();
        String url = dev.getValue("quarkus.datasource.jdbc.url");
        assertTrue(url.startsWith("jdbc:postgresql://"), url);
        assertTrue(dev.getValue("mp.jwt.verify.publickey").startsWith("-----BEGIN PUBLIC KEY-----"));
        assertTrue(dev.getValue("agentnexus.chain.escrow-address").startsWith("0x"));
        // A live reload asks again: same servers, same keys.
        var reloaded = new DevServicesConfigSource().getConfigSources(FakeConfigSourceContext.of("dev", values))
                .iterator().next();
        assertEquals(url, reloaded.getValue("quarkus.datasource.jdbc.url"));
        assertEquals(dev.getValue("agentnexus.chain.escrow-address"), reloaded.getValue("agentnexus.chain.escrow-address"));
        assertEquals(dev.getValue("smallrye.jwt.sign.key"), reloaded.getValue("smallrye.jwt.sign.key"));
        assertEquals("1", query(Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "SELECT 1"));
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
    }

    private static void execute(Map<String, String> config, String sql) throws SQLException {
        try (Connection c = connect(config)) {
            c.createStatement().execute(sql);
        }
    }

    private static String query(Map<String, String> config, String sql) throws SQLException {
        try (Connection c = connect(config); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
