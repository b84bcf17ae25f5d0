package io.agentnexus.execution;

import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.runtime.ContainerRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Cleans up after crashes, at start-up and periodically: RUNNING executions whose worker stopped
 * beating go back to the queue as their next attempt, or, after the last one, become FAILED with a
 * reason (the record is never lost); containers labelled with an execution that is not running
 * (finished, requeued, or unknown), or with an earlier attempt of one that is, are removed: only this
 * deployment's containers, since other deployments (with their own database) may share the engine.
 */
@ApplicationScoped
public class ExecutionReaper {

    private static final Logger LOG = Logger.getLogger(ExecutionReaper.class);

    private final ExecutionQueue queue;
    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Duration staleAfter;
    private final int maxAttempts;
    private final MeterRegistry metrics;

    ExecutionReaper(ExecutionQueue queue, ContainerRuntime runtime, Clock clock, MeterRegistry metrics,
            ExecutionsConfig config) {
        this.queue = queue;
        this.runtime = runtime;
        this.clock = clock;
        this.staleAfter = config.staleAfter();
        this.maxAttempts = config.maxAttempts();
        this.metrics = metrics;
    }

    @Scheduled(identity = "execution-reaper", every = "${agentnexus.executions.reaper-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            reap();
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            LOG.warnf("execution reaper waiting for the container engine: %s", e.getMessage());
        }
    }

    public void reap() {
        ExecutionQueue.Abandoned abandoned = queue.recoverAbandoned(clock.instant().minus(staleAfter), maxAttempts);
        if (abandoned.requeued() > 0 || abandoned.ended() > 0) {
            LOG.warnf("running executions lost their worker: %d queued again, %d ended (after %d attempts or cancelled)",
                    abandoned.requeued(), abandoned.ended(), maxAttempts);
        }
        // Counted once, by the replica whose update ended them: their workers stopped, so no runner will.
        ExecutionRunner.countFinished(metrics, ExecutionStatus.FAILED, ExecutionRunner.PLATFORM, abandoned.failed());
        ExecutionRunner.countFinished(metrics, ExecutionStatus.CANCELLED, "none", abandoned.cancelled());
        ExecutionRunner.countFinished(metrics, ExecutionStatus.CANCELLED, "none", queue.cancelUnpaid());
        List<ContainerRuntime.Container> labelled = runtime.listByLabel(ExecutionRunner.DEPLOYMENT_LABEL,
                queue.deploymentId());
        Map<UUID, Integer> running = queue.runningAttempts(labelled.stream().map(ExecutionReaper::executionOf)
                .filter(Objects::nonNull).collect(Collectors.toSet()));
        for (ContainerRuntime.Container container : labelled) {
            UUID execution = executionOf(container);
            if (execution == null || !Objects.equals(running.get(execution), attemptOf(container))) {
                LOG.infof("removing orphan container %s of execution %s", container.id(), execution);
                runtime.remove(container.id());
            }
        }
    }

    /** Containers created before attempts were labelled belong to the first. */
    private static Integer attemptOf(ContainerRuntime.Container container) {
        String attempt = container.labels().get(ExecutionRunner.ATTEMPT_LABEL);
        try {
            return attempt == null ? 1 : Integer.valueOf(attempt);
        } catch (NumberFormatException e) {
            return null;
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
