package io.agentnexus.chain;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import io.smallrye.health.api.Wellness;

/**
 * Whether the chain RPC answers and is the chain we are configured for. Wellness, not readiness: the RPC is
 * shared by every replica, so taking them all out of the load balancer would cut the catalog and runs too,
 * and fix nothing. It shows at /q/health and /q/health/well; chain calls meanwhile fail as 503.
 */
@Wellness
@ApplicationScoped
public class ChainHealthCheck implements HealthCheck {

    private final Web3jChain chain;
    private final ChainConfig config;

    ChainHealthCheck(Web3jChain chain, ChainConfig config) {
        this.chain = chain;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Chain RPC health check").withData("chainId", config.id());
        try {
            long reported = chain.rpcChainId();
            return response.status(reported == config.id()).withData("rpcChainId", reported).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", e.getMessage()).build();
        }
    }
}
