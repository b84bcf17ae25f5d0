package io.agentnexus.support;

import io.agentnexus.platform.dev.EmbeddedServers;
import io.agentnexus.platform.dev.JwtKeyFiles;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** A fresh real PostgreSQL and Redis, and a JWT key pair, for each test run of the application. */
public class EmbeddedServersResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedServers servers;

    @Override
    public Map<String, String> start() {
        servers = EmbeddedServers.ephemeral();
        Map<String, String> config = new HashMap<>(servers.config());
        try {
            config.putAll(JwtKeyFiles.ensure(Files.createTempDirectory("agentnexus-test-keys")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("agentnexus.auth.admin-addresses", TestWallet.ADMIN.address());
        return config;
    }

    @Override
    public void stop() {
        if (servers != null) {
            servers.close();
            servers = null;
        }
    }

    /** The running servers, for tests that take Redis away to see the service cope. */
    public static EmbeddedServers servers() {
        return servers;
    }
}
