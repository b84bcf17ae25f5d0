package io.agentnexus.platform.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import io.agentnexus.chain.LocalChain;
import io.agentnexus.wallet.LocalBundler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.function.Supplier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In the dev profile only: starts the embedded PostgreSQL and Redis (unless a JDBC URL is configured),
 * a local chain with our contracts and the Alto bundler (unless an RPC URL is configured) and dev JWT keys, and feeds their
 * coordinates into the configuration before Flyway and Hibernate read it. Registered in
 * META-INF/services; in any other profile it contributes nothing.
 */
public class DevServicesConfigSource implements ConfigSourceFactory {

    /** JVM-wide, so live reload (a new class loader, fresh statics) reuses the running servers. */
    private static final String RUNNING = "agentnexus.dev.embedded-servers";
    private static final int ORDINAL = 200; // below application.properties and the environment

    private static final String RUNNING_CHAIN = "agentnexus.dev.local-chain";
    private static final String RUNNING_BUNDLER = "agentnexus.dev.local-bundler";
    private static final List<AutoCloseable> STARTED = new ArrayList<>();

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) {
            return List.of();
        }
        Path dir = Path.of(value(context, "agentnexus.dev.data-dir", ".agentnexus/dev"));
        Map<String, String> config = new HashMap<>(JwtKeyFiles.ensure(dir));
        if (context.getValue("quarkus.datasource.jdbc.url").getValue() == null) {
            int pgPort = Integer.parseInt(value(context, "agentnexus.dev.postgres-port", "54329"));
            int redisPort = Integer.parseInt(value(context, "agentnexus.dev.redis-port", "63799"));
            config.putAll(running(RUNNING, () -> startPersistentServers(dir, pgPort, redisPort)));
        }
        if (context.getValue("agentnexus.chain.rpc-url").getValue() == null) {
            int chainPort = Integer.parseInt(value(context, "agentnexus.dev.chain-port", "8545"));
            config.putAll(running(RUNNING_CHAIN, () -> LocalChain.persistent(dir.resolve("chain"), chainPort)));
            if (context.getValue("agentnexus.wallet.bundler-url").getValue() == null) {
                int bundlerPort = Integer.parseInt(value(context, "agentnexus.dev.bundler-port", "4337"));
                String rpcUrl = config.get("agentnexus.chain.rpc-url");
                String entryPoint = config.get("agentnexus.wallet.entry-point");
                config.putAll(running(RUNNING_BUNDLER, () -> LocalBundler.start(rpcUrl, entryPoint, bundlerPort,
                        dir.resolve("alto.log"))));
            }
        }
        return List.of(new PropertiesConfigSource(config, "agentnexus-dev-services", ORDINAL));
    }

    /*
     * The config of the running servers is kept as a JVM-wide string: a later class loader (live
     * reload) reads it back instead of starting servers again. System properties must hold strings
     * only (libraries copy them), hence the encoding.
     */
    private synchronized Map<String, String> running(String property, Supplier<AutoCloseable> start) {
        String running = System.getProperty(property);
        if (running == null) {
            AutoCloseable servers = start.get();
            STARTED.add(servers);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    servers.close();
                } catch (Exception e) {
                    System.err.println("could not stop embedded servers: " + e);
                }
            }, "embedded-servers-shutdown"));
            running = encode(configOf(servers));
            System.setProperty(property, running);
        }
        return decode(running);
    }

    /** Stops the servers this class started in this JVM, if any (the shutdown hook does it at exit). */
    static synchronized void stopStartedServers() throws Exception {
        for (AutoCloseable servers : STARTED) {
            servers.close();
        }
        STARTED.clear();
        System.clearProperty(RUNNING);
        System.clearProperty(RUNNING_CHAIN);
        System.clearProperty(RUNNING_BUNDLER);
    }

    private static String encode(Map<String, String> config) {
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static Map<String, String> decode(String text) {
        Map<String, String> config = new HashMap<>();
        text.lines().forEach(line -> {
            int eq = line.indexOf('=');
            config.put(line.substring(0, eq), line.substring(eq + 1));
        });
        return config;
    }

    /*
     * By a computed name, not a class literal: a native image must not reach EmbeddedServers, whose
     * dependencies are not on the production class path (Quarkus links native images at build time).
     */
    private AutoCloseable startPersistentServers(Path dir, int pgPort, int redisPort) {
        try {
            Class<?> type = Class.forName(getClass().getPackageName() + ".EmbeddedServers");
            return (AutoCloseable) type.getMethod("persistent", Path.class, int.class, int.class)
                    .invoke(null, dir, pgPort, redisPort);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL and Redis", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> configOf(AutoCloseable servers) {
        if (servers instanceof LocalChain chain) {
            return chain.config();
        }
        try {
            return (Map<String, String>) servers.getClass().getMethod("config").invoke(servers);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(ConfigSourceContext context, String name, String defaultValue) {
        String value = context.getValue(name).getValue();
        return value == null ? defaultValue : value;
    }
}
