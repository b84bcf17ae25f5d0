package io.agentnexus.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.platform.error.Problem;
import io.agentnexus.runtime.ContainerRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Runs one claimed execution: image, isolated container, input on env and stdin, logs stored as they
 * come, the wall timeout, cancellation from any replica, the result from the last stdout line checked
 * against the output schema. The container is removed whatever happens.
 */
@ApplicationScoped
class ExecutionRunner {

    static final String EXECUTION_LABEL = "agentnexus.execution";
    static final String INSTANCE_LABEL = "agentnexus.instance";
    private static final Logger LOG = Logger.getLogger(ExecutionRunner.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final ContainerRuntime runtime;
    private final ExecutionQueue queue;
    private final LogSignals signals;
    private final JsonSchemas schemas;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String instance;
    private final long logCapBytes;
    private final int outputCapBytes;

    ExecutionRunner(ContainerRuntime runtime, ExecutionQueue queue, LogSignals signals, JsonSchemas schemas, ObjectMapper json, Clock clock,
            MeterRegistry metrics, @ConfigProperty(name = "agentnexus.executions.instance") String instance,
            @ConfigProperty(name = "agentnexus.executions.log-cap", defaultValue = "5242880") long logCapBytes,
            @ConfigProperty(name = "agentnexus.executions.output-cap", defaultValue = "1048576") int outputCapBytes) {
        this.runtime = runtime;
        this.queue = queue;
        this.signals = signals;
        this.schemas = schemas;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.instance = instance;
        this.logCapBytes = logCapBytes;
        this.outputCapBytes = outputCapBytes;
    }

    void run(UUID executionId) {
        ExecutionQueue.Job job = queue.job(executionId);
        metrics.timer("agentnexus.executions.queue.wait").record(job.queueWait());
        Timer.Sample runTime = Timer.start(metrics);
        LogCollector logs = new LogCollector(executionId, queue, logCapBytes, () -> signals.stored(executionId));
        String containerId = null;
        try {
            String imageId = runtime.ensureImage(job.image());
            String input = json.writeValueAsString(job.input());
            Timer.Sample startLatency = Timer.start(metrics);
            containerId = runtime.create(new ContainerRuntime.ContainerSpec(job.image(), Map.of("INPUT", input),
                    Map.of(EXECUTION_LABEL, executionId.toString(), INSTANCE_LABEL, instance), job.limits()));
            queue.started(executionId, containerId, imageId);
            runtime.start(containerId, (input + "\n").getBytes(StandardCharsets.UTF_8), logs);
            startLatency.stop(metrics.timer("agentnexus.executions.container.start"));
            Outcome outcome = awaitOutcome(executionId, containerId, job, logs);
            logs.flush();
            queue.finish(executionId, outcome.status(), outcome.exitCode(), outcome.oomKilled(), outcome.output(),
                    outcome.error());
            signals.stored(executionId); // followers learn the end now
            metrics.counter("agentnexus.executions.finished", "status", outcome.status().name()).increment();
            runTime.stop(metrics.timer("agentnexus.executions.run.duration", "status", outcome.status().name()));
            if (outcome.oomKilled()) {
                metrics.counter("agentnexus.executions.oom.kills").increment();
            }
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            if (containerId == null) {
                LOG.warnf("execution %s waits for the container engine: %s", executionId, e.getMessage());
                queue.requeue(executionId);
                throw e; // the worker backs off
            }
            fail(executionId, logs, e);
        } catch (RuntimeException | JsonProcessingException e) {
            fail(executionId, logs, e);
        } finally {
            if (containerId != null) {
                try {
                    runtime.remove(containerId);
                } catch (RuntimeException e) {
                    LOG.warnf("container %s of execution %s not removed (the reaper will): %s", containerId,
                            executionId, e.getMessage());
                }
            }
        }
    }

    private void fail(UUID executionId, LogCollector logs, Exception e) {
        LOG.errorf(e, "execution %s failed in the platform", executionId);
        metrics.counter("agentnexus.executions.container.failures").increment();
        logs.flush();
        queue.finish(executionId, ExecutionStatus.FAILED, null, false, null,
                "the platform could not run the agent: " + e.getMessage());
        signals.stored(executionId);
    }

    private record Outcome(ExecutionStatus status, Integer exitCode, boolean oomKilled, Map<String, Object> output,
            String error) {
    }

    private Outcome awaitOutcome(UUID executionId, String containerId, ExecutionQueue.Job job, LogCollector logs) {
        Instant deadline = clock.instant().plus(job.limits().timeout());
        while (true) {
            Optional<ContainerRuntime.Exit> exit = runtime.await(containerId, POLL);
            if (exit.isPresent()) {
                return result(exit.get(), job, logs);
            }
            logs.flush(); // live logs for readers while it runs
            if (queue.heartbeat(executionId)) {
                runtime.stop(containerId, GRACE);
                logs.system("[cancelled by the user]", clock.instant());
                return new Outcome(ExecutionStatus.CANCELLED, null, false, null, "cancelled by the user");
            }
            if (clock.instant().isAfter(deadline)) {
                runtime.stop(containerId, GRACE);
                logs.system("[stopped: wall time limit of " + job.limits().timeout().toSeconds() + " s]", clock.instant());
                return new Outcome(ExecutionStatus.TIMED_OUT, null, false, null,
                        "the agent did not finish within " + job.limits().timeout().toSeconds() + " s");
            }
        }
    }

    private Outcome result(ContainerRuntime.Exit exit, ExecutionQueue.Job job, LogCollector logs) {
        if (exit.oomKilled()) {
            return new Outcome(ExecutionStatus.FAILED, exit.code(), true, null, "the agent ran out of memory (limit "
                    + (job.limits().memoryBytes() >> 20) + " MiB)");
        }
        if (exit.code() != 0) {
            return new Outcome(ExecutionStatus.FAILED, exit.code(), false, null,
                    "the agent exited with code " + exit.code() + "; see its logs");
        }
        String last = logs.lastStdout();
        if (last == null || last.isBlank()) {
            return new Outcome(ExecutionStatus.FAILED, 0, false, null, "the agent printed no result on stdout");
        }
        if (last.getBytes(StandardCharsets.UTF_8).length > outputCapBytes) {
            return new Outcome(ExecutionStatus.FAILED, 0, false, null, "the result is larger than " + outputCapBytes
                    + " bytes");
        }
        Map<String, Object> output;
        try {
            output = json.readValue(last, new TypeReference<>() { });
        } catch (JsonProcessingException e) {
            return new Outcome(ExecutionStatus.FAILED, 0, false, null,
                    "the last line of stdout is not a JSON object: " + abbreviate(last));
        }
        List<Problem.FieldError> violations = schemas.violations(job.outputSchema(), output, "output");
        if (!violations.isEmpty()) {
            return new Outcome(ExecutionStatus.FAILED, 0, false, output, "the result does not match the agent's "
                    + "outputSchema: " + violations.stream().map(v -> v.field() + " " + v.message())
                    .collect(Collectors.joining("; ")));
        }
        return new Outcome(ExecutionStatus.SUCCEEDED, 0, false, output, null);
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
