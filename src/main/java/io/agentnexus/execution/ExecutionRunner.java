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
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Runs one attempt of a claimed execution: image pinned to its id, isolated container, input on stdin
 * (and in env when it fits), logs stored as they come, the wall timeout, cancellation from any replica,
 * the result from the last stdout line once the output has ended, checked against the output schema.
 * The container is removed whatever happens.
 */
@ApplicationScoped
class ExecutionRunner {

    static final String EXECUTION_LABEL = "agentnexus.execution";
    static final String INSTANCE_LABEL = "agentnexus.instance";
    /** The deployment (all replicas on one database) a container belongs to: reapers leave other deployments' alone. */
    static final String DEPLOYMENT_LABEL = "agentnexus.deployment";
    /** Which attempt of the execution a container belongs to: the reaper keeps only the current one's. */
    static final String ATTEMPT_LABEL = "agentnexus.attempt";
    private static final Logger LOG = Logger.getLogger(ExecutionRunner.class);
    private static final String FINISHED = "agentnexus.executions.finished";
    static final String PLATFORM = "platform";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** After the exit, how long the output may stay silent, and how long draining it may take in all. */
    private static final Duration OUTPUT_QUIET = Duration.ofSeconds(10);
    private static final Duration OUTPUT_DRAIN_MAX = Duration.ofMinutes(2);
    /** Below Linux's 128 KiB cap on one environment string, with room to spare. */
    private static final int ENV_INPUT_MAX_BYTES = 120 << 10;

    private final ContainerRuntime runtime;
    private final ExecutionQueue queue;
    private final LogSignals signals;
    private final ExecutionHeartbeat heartbeat;
    private final JsonSchemas schemas;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final String instance;
    private final long logCapBytes;
    private final int outputCapBytes;

    ExecutionRunner(ContainerRuntime runtime, ExecutionQueue queue, LogSignals signals, ExecutionHeartbeat heartbeat,
            JsonSchemas schemas, ObjectMapper json, Clock clock,
            MeterRegistry metrics, ExecutionsConfig config) {
        this.runtime = runtime;
        this.queue = queue;
        this.signals = signals;
        this.heartbeat = heartbeat;
        this.schemas = schemas;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.instance = config.instance();
        this.logCapBytes = config.logCap();
        this.outputCapBytes = config.outputCap();
        // At zero from the start: the first OOM kill and the first platform failure show in rate() and increase().
        metrics.counter("agentnexus.executions.oom.kills");
        metrics.counter(FINISHED, "status", ExecutionStatus.FAILED.name(), "cause", PLATFORM);
    }

    void run(UUID executionId) {
        ExecutionQueue.Job job = queue.job(executionId);
        ExecutionQueue.Attempt attempt = new ExecutionQueue.Attempt(executionId, job.attempt());
        heartbeat.running(attempt);
        metrics.timer("agentnexus.executions.queue.wait").record(job.queueWait());
        Timer.Sample runTime = Timer.start(metrics);
        LogCollector logs = new LogCollector(executionId, queue, logCapBytes, job.firstLogSeq(),
                () -> signals.stored(executionId));
        String containerId = null;
        try {
            if (job.attempt() > 1) {
                logs.system("[attempt " + job.attempt() + ": the previous one was interrupted by the platform,"
                        + " not by the agent]", clock.instant());
            }
            // Resolved once: the container is created from this id, so what runs is what is recorded.
            String imageId = runtime.ensureImage(job.image());
            String input = json.writeValueAsString(job.input());
            Timer.Sample startLatency = Timer.start(metrics);
            containerId = runtime.create(new ContainerRuntime.ContainerSpec(imageId, inputEnv(input),
                    Map.of(EXECUTION_LABEL, executionId.toString(), ATTEMPT_LABEL, String.valueOf(job.attempt()),
                            INSTANCE_LABEL, instance, DEPLOYMENT_LABEL, queue.deploymentId()), job.limits()));
            queue.started(attempt, containerId, imageId);
            runtime.start(containerId, (input + "\n").getBytes(StandardCharsets.UTF_8), outputCapBytes, logs);
            startLatency.stop(metrics.timer("agentnexus.executions.container.start"));
            Outcome outcome = awaitOutcome(executionId, containerId, job, logs);
            logs.flush();
            queue.finish(attempt, outcome.status(), outcome.exitCode(), outcome.oomKilled(), outcome.output(),
                    outcome.error());
            signals.stored(executionId); // followers learn the end now
            finished(outcome.status(), outcome.status() == ExecutionStatus.SUCCEEDED
                    || outcome.status() == ExecutionStatus.CANCELLED ? "none" : "agent");
            runTime.stop(metrics.timer("agentnexus.executions.run.duration", "status", outcome.status().name()));
            if (outcome.oomKilled()) {
                metrics.counter("agentnexus.executions.oom.kills").increment();
            }
        } catch (DependencyUnavailableException | FaultToleranceException e) {
            if (containerId == null) {
                LOG.warnf("execution %s waits for the container engine: %s", executionId, e.getMessage());
                queue.requeue(attempt);
                throw e; // the worker backs off
            }
            fail(attempt, logs, e);
        } catch (RuntimeException | JsonProcessingException e) {
            fail(attempt, logs, e);
        } finally {
            heartbeat.done(attempt);
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

    /**
     * The input in INPUT when it fits: Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN), and
     * the platform accepts more. Larger input is only on stdin, which always carries it; INPUT_ON_STDIN says so.
     */
    static Map<String, String> inputEnv(String input) {
        return ("INPUT=" + input).getBytes(StandardCharsets.UTF_8).length <= ENV_INPUT_MAX_BYTES
                ? Map.of("INPUT", input) : Map.of("INPUT_ON_STDIN", "1");
    }

    private void fail(ExecutionQueue.Attempt attempt, LogCollector logs, Exception e) {
        LOG.errorf(e, "execution %s failed in the platform", attempt.id());
        finished(ExecutionStatus.FAILED, PLATFORM);
        logs.flush();
        queue.finish(attempt, ExecutionStatus.FAILED, null, false, null,
                "the platform could not run the agent: " + e.getMessage());
        signals.stored(attempt.id());
    }

    /**
     * One count per finished run. {@code cause} separates the platform's failures ("platform": it could not run
     * the agent) from the agent's own ("agent": non-zero exit, OOM, timeout, a bad or missing result) and from
     * runs that did not fail ("none"): the run-failure alert counts only "platform".
     */
    private void finished(ExecutionStatus status, String cause) {
        countFinished(metrics, status, cause, 1);
    }

    /** Also for runs the reaper ends, whose runner is gone. */
    static void countFinished(MeterRegistry metrics, ExecutionStatus status, String cause, int runs) {
        metrics.counter(FINISHED, "status", status.name(), "cause", cause).increment(runs);
    }

    private record Outcome(ExecutionStatus status, Integer exitCode, boolean oomKilled, Map<String, Object> output,
            String error) {
    }

    private Outcome awaitOutcome(UUID executionId, String containerId, ExecutionQueue.Job job, LogCollector logs) {
        Instant deadline = clock.instant().plus(job.limits().timeout());
        while (true) {
            Optional<ContainerRuntime.Exit> exit = runtime.await(containerId, POLL);
            if (exit.isPresent()) {
                // The engine may still be delivering output after the exit: the result is its last line.
                if (!logs.awaitEnd(OUTPUT_QUIET, OUTPUT_DRAIN_MAX)) {
                    logs.system("[the agent's output had not ended " + OUTPUT_QUIET.toSeconds() + " s after it exited;"
                            + " the run is judged on what arrived]", clock.instant());
                }
                return result(exit.get(), job, logs);
            }
            logs.flush(); // live logs for readers while it runs
            if (queue.cancelRequested(executionId)) {
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
        if (logs.lastStdoutCut() || last.getBytes(StandardCharsets.UTF_8).length > outputCapBytes) {
            return new Outcome(ExecutionStatus.FAILED, 0, false, null, "the result is larger than " + outputCapBytes
                    + " bytes");
        }
        Map<String, Object> output;
        try {
            output = StoredText.clean(json.readValue(last, new TypeReference<Map<String, Object>>() { }));
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
