package io.agentnexus.support;

import io.agentnexus.chain.LocalChain;
import io.agentnexus.platform.dev.EmbeddedServers;
import io.agentnexus.platform.dev.JwtKeyFiles;
import io.agentnexus.wallet.LocalBundler;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A fresh real PostgreSQL, Redis, local chain and ERC-4337 bundler (Alto), and a JWT key pair, for each test run of the application. */
public class EmbeddedServersResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedServers servers;
    private static LocalChain chain;
    private static RpcProxy rpc;
    private static LocalBundler bundler;
    private static RpcProxy bundlerProxy;

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
        chain = LocalChain.ephemeral();
        config.putAll(chain.config());
        rpc = new RpcProxy(Integer.parseInt(chain.rpcUrl().substring(chain.rpcUrl().lastIndexOf(':') + 1)));
        config.put("agentnexus.chain.rpc-url", rpc.url()); // the application reaches the chain through the proxy
        bundler = LocalBundler.start(chain.rpcUrl(), chain.config().get("agentnexus.wallet.entry-point"), 0,
                Path.of("target", "alto.log"));
        bundlerProxy = new RpcProxy(bundler.port());
        config.put("agentnexus.wallet.bundler-url", bundlerProxy.url()); // and the bundler through another
        return config;
    }

    @Override
    public void stop() {
        if (bundlerProxy != null) {
            bundlerProxy.close();
            bundlerProxy = null;
        }
        if (bundler != null) {
            bundler.close();
            bundler = null;
        }
        if (rpc != null) {
            rpc.close();
            rpc = null;
        }
        if (chain != null) {
            chain.close();
            chain = null;
        }
        if (servers != null) {
            servers.close();
            servers = null;
        }
    }

    /** The chain itself (tests send buyers' transactions straight to it, not through the proxy). */
    public static LocalChain chain() {
        return chain;
    }

    /** The application's way to the chain, which tests may cut. */
    public static RpcProxy rpc() {
        return rpc;
    }

    /** The application's way to the bundler, which tests may cut. */
    public static RpcProxy bundler() {
        return bundlerProxy;
    }

    /** The running servers, for tests that take Redis away to see the service cope. */
    public static EmbeddedServers servers() {
        return servers;
    }
}
