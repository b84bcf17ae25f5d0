package io.agentnexus.execution;

import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.runtime.ContainerRuntime;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Cleans up after crashes, at start-up and periodically: RUNNING executions whose worker stopped
 * beating become FAILED with a reason (the record is never lost), and containers labelled with an
 * execution that is not running (finished, failed that way, or unknown) are removed.
 */
@ApplicationScoped
public class ExecutionReaper {

    private static final Logger LOG = Logger.getLogger(ExecutionReaper.class);

    private final ExecutionQueue queue;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Duration staleAfter;

    ExecutionReaper(ExecutionQueue queue, ContainerRuntime runtime, Clock clock,
            @ConfigProperty(name = "agentnexus.executions.stale-after", defaultValue = "30s") Duration staleAfter) {
        this.queue = queue;
        this.runtime = runtime;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    @Scheduled(identity = "execution-reaper", every = "${agentnexus.executions.reaper-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            reap();
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            LOG.warnf("execution reaper waiting for the container engine: %s", e.getMessage());
        }
    }

    public void reap() {
        int abandoned = queue.failAbandoned(clock.instant().minus(staleAfter));
        if (abandoned > 0) {
            LOG.warnf("%d running executions lost their worker and were marked FAILED", abandoned);
        }
        List<ContainerRuntime.Container> labelled = runtime.listByLabel(ExecutionRunner.EXECUTION_LABEL, null);
        Set<UUID> running = queue.running(labelled.stream().map(ExecutionReaper::executionOf)
                .filter(java.util.Objects::nonNull).toList());
        for (ContainerRuntime.Container container : labelled) {
            UUID execution = executionOf(container);
            if (execution == null || !running.contains(execution)) {
                LOG.infof("removing orphan container %s of execution %s", container.id(), execution);
                runtime.remove(container.id());
            }
        }
    }

    private static UUID executionOf(ContainerRuntime.Container container) {
        try {
            return UUID.fromString(container.labels().get(ExecutionRunner.EXECUTION_LABEL));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
