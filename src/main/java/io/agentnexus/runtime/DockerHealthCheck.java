package io.agentnexus.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the container engine answers: without it no execution can run. */
@Readiness
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
