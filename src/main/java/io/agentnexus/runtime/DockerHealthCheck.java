package io.agentnexus.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import io.smallrye.health.api.Wellness;

/**
 * Whether the container engine (Docker, or the Kubernetes API for Jobs) answers. Wellness, not readiness:
 * without it no run can start, but the rest of the API still serves (new runs get a 503, queued ones wait),
 * and an API pod runs nothing anyway. It shows at /q/health and /q/health/well.
 */
@Wellness
@ApplicationScoped
public class DockerHealthCheck implements HealthCheck {

    private final ContainerRuntime runtime;

    DockerHealthCheck(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Container engine health check").status(runtime.reachable()).build();
    }
}
