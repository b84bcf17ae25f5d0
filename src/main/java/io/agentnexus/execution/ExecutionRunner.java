package io.agentnexus.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.platform.error.DependencyUnavailableException;
import io.agentnexus.platform.error.Problem;
import io.agentnexus.runtime.ContainerRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.jboss.logging.Logger;

/**
 * Runs one attempt of a claimed execution: image pinned to its id, isolated container, input on stdin
 * (and in env when it fits), logs stored as they come, the wall timeout, cancellation from any replica,
 * the result from the last stdout line once the output has ended, checked against the output schema.
 * Nothing polls: the wait ends on the engine's exit, a cancel signal or the deadline. The result is recorded
 * first; then the container is removed in the background, whatever happened. Each phase is timed in
 * {@code agentnexus.executions.phase{phase=queue|image|create|start|run|collect|remove}}.
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
    private static final String PHASE = "agentnexus.executions.phase";
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** After the exit, how long the output may stay silent, and how long draining it may take in all. */
    private static final Duration OUTPUT_QUIET = Duration.ofSeconds(10);
    private static final Duration OUTPUT_DRAIN_MAX = Duration.ofMinutes(2);
    /** Once the output has ended, how long the engine's wait may take to tell the exit before it is asked again. */
    private static final Duration EXIT_DUE = Duration.ofSeconds(1);
    /** Below Linux's 128 KiB cap on one environment string, with room to spare. */
    private static final int ENV_INPUT_MAX_BYTES = 120 << 10;

    private final ContainerRuntime runtime;
    private final ExecutionQueue queue;
    private final CancelSignals cancels;
    /** Removes finished runs' containers; bounded (threads and backlog). */
    private final ThreadPoolExecutor removals;
    /** Stores every run's pending log lines together, every log-flush-interval. */
    private final LogWriter logWriter;
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
            CancelSignals cancels, LogWriter logWriter, JsonSchemas schemas, ObjectMapper json, Clock clock,
            MeterRegistry metrics, ExecutionsConfig config) {
        this.runtime = runtime;
        this.queue = queue;
        this.cancels = cancels;
        int removers = Math.max(1, config.workers());
        this.removals = new ThreadPoolExecutor(removers, removers, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.removalBacklog()),
                Thread.ofPlatform().name("container-removal-", 0).daemon().factory(),
                new ThreadPoolExecutor.CallerRunsPolicy());
        this.removals.allowCoreThreadTimeOut(true);
        this.logWriter = logWriter;
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
        // Watched before the job is read: a cancel committed before the read is in the job, one after it notifies.
        CompletableFuture<Void> cancelled = cancels.watch(executionId);
        ExecutionQueue.Job job;
        try {
            job = queue.job(executionId);
        } catch (RuntimeException e) {
            cancels.forget(executionId);
            throw e;
        }
        if (job.cancelRequested()) {
            cancelled.complete(null);
        }
        ExecutionQueue.Attempt attempt = new ExecutionQueue.Attempt(executionId, job.attempt());
        heartbeat.running(attempt);
        metrics.timer("agentnexus.executions.queue.wait").record(job.queueWait());
        metrics.timer(PHASE, "phase", "queue").record(job.queueWait());
        LOG.debugf("execution %s attempt %d claimed after %d ms in the queue", executionId, job.attempt(),
                job.queueWait().toMillis());
        Timer.Sample runTime = Timer.start(metrics);
        LogCollector logs = new LogCollector(executionId, queue, logCapBytes, job.firstLogSeq(),
                () -> signals.stored(executionId), logWriter);
        String containerId = null;
        try {
            if (job.attempt() > 1) {
                logs.system("[attempt " + job.attempt() + ": the previous one was interrupted by the platform,"
                        + " not by the agent]", clock.instant());
            }
            long phase = System.nanoTime();
            // Resolved once: the container is created from this id, so what runs is what is recorded.
            String imageId = runtime.ensureImage(job.image());
            String input = json.writeValueAsString(job.input());
            phase = phase(executionId, "image", phase);
            Timer.Sample startLatency = Timer.start(metrics);
            containerId = runtime.create(new ContainerRuntime.ContainerSpec(imageId, inputEnv(input),
                    Map.of(EXECUTION_LABEL, executionId.toString(), ATTEMPT_LABEL, String.valueOf(job.attempt()),
                            INSTANCE_LABEL, instance, DEPLOYMENT_LABEL, queue.deploymentId()), job.limits()));
            queue.started(attempt, containerId, imageId);
            phase = phase(executionId, "create", phase);
            runtime.start(containerId, (input + "\n").getBytes(StandardCharsets.UTF_8), outputCapBytes, logs);
            startLatency.stop(metrics.timer("agentnexus.executions.container.start"));
            phase = phase(executionId, "start", phase);
            Ending ending = awaitEnding(containerId, job, logs, cancelled);
            phase = phase(executionId, "run", phase);
            Outcome outcome = ending.stopped();
            if (outcome == null) { // exited: the engine may still be delivering output, and the result is its last line
                if (!logs.awaitEnd(OUTPUT_QUIET, OUTPUT_DRAIN_MAX)) {
                    logs.system("[the agent's output had not ended " + OUTPUT_QUIET.toSeconds() + " s after it exited;"
                            + " the run is judged on what arrived]", clock.instant());
                }
                outcome = result(ending.exit(), job, logs);
            }
            // Recorded with the last lines, and followers told, before the container is removed (in the background).
            queue.finish(attempt, outcome.status(), outcome.exitCode(), outcome.oomKilled(), outcome.output(),
                    outcome.error(), logs.seal());
            signals.stored(executionId); // followers learn the end now
            phase(executionId, "collect", phase);
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
            cancels.forget(executionId);
            if (containerId != null) {
                removeLater(executionId, containerId);
            }
        }
    }

    /** The time since {@code since} as this phase of a run (a metric, and a debug line for the one run); now. */
    private long phase(UUID executionId, String name, long since) {
        long now = System.nanoTime();
        metrics.timer(PHASE, "phase", name).record(now - since, TimeUnit.NANOSECONDS);
        LOG.debugf("execution %s %s took %d ms", executionId, name, TimeUnit.NANOSECONDS.toMillis(now - since));
        return now;
    }

    /**
     * Removes the container off the worker's path, its result already recorded. A removal that fails, or that
     * never runs (the instance stops first), is the reaper's: the run is no longer RUNNING, so its container is
     * an orphan. When removals fall behind by a full backlog, the worker removes its own (back-pressure).
     */
    private void removeLater(UUID executionId, String containerId) {
        removals.execute(() -> {
            long since = System.nanoTime();
            try {
                runtime.remove(containerId);
                phase(executionId, "remove", since);
            } catch (RuntimeException e) {
                LOG.warnf("container %s of execution %s not removed (the reaper will): %s", containerId,
                        executionId, e.getMessage());
            }
        });
    }

    void drainRemovals(@Observes ShutdownEvent shutdown) {
        removals.shutdown();
        try {
            removals.awaitTermination(10, TimeUnit.SECONDS); // what is left is the reaper's, at the next start
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        queue.finish(attempt, ExecutionStatus.FAILED, null, false, null,
                "the platform could not run the agent: " + e.getMessage(), logs.seal());
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

    /** How the wait for a run ended: its container's exit, or the outcome of stopping it (cancel, timeout). */
    private record Ending(ContainerRuntime.Exit exit, Outcome stopped) {
    }

    private record Outcome(ExecutionStatus status, Integer exitCode, boolean oomKilled, Map<String, Object> output,
            String error) {
    }

    /**
     * Waits for the first of: the container's exit (the engine's own wait, no polling), a cancel (a notification
     * from any replica, see {@link CancelSignals}), the wall-time deadline. The end of the output announces the
     * exit: if the wait has not told it {@link #EXIT_DUE} later, the engine is asked once more, so that a wait
     * whose answer is lost (a connection that never answers) does not hold the run until its deadline.
     */
    private Ending awaitEnding(String containerId, ExecutionQueue.Job job, LogCollector logs,
            CompletableFuture<Void> cancelled) {
        Instant deadline = clock.instant().plus(job.limits().timeout());
        CompletableFuture<ContainerRuntime.Exit> exited = runtime.exited(containerId);
        CompletableFuture<Void> exitDue = logs.ended().thenCompose(ended -> new CompletableFuture<Void>()
                .completeOnTimeout(null, EXIT_DUE.toMillis(), TimeUnit.MILLISECONDS));
        CompletableFuture<ContainerRuntime.Exit> askedAgain = null;
        try {
            while (true) {
                if (exited.isDone()) { // an engine that failed to answer is the platform's failure, as before
                    return new Ending(exited.join(), null);
                }
                if (askedAgain != null && askedAgain.isDone()) {
                    return new Ending(askedAgain.join(), null);
                }
                if (askedAgain == null && exitDue.isDone()) {
                    LOG.debugf("execution %s: its output ended %d ms ago and the engine's wait has not told the exit;"
                            + " asking again", job.id(), EXIT_DUE.toMillis());
                    askedAgain = runtime.exited(containerId);
                    continue;
                }
                if (cancelled.isDone()) {
                    runtime.stop(containerId, GRACE);
                    logs.system("[cancelled by the user]", clock.instant());
                    return new Ending(null, new Outcome(ExecutionStatus.CANCELLED, null, false, null,
                            "cancelled by the user"));
                }
                long left = Duration.between(clock.instant(), deadline).toNanos();
                if (left <= 0) {
                    runtime.stop(containerId, GRACE);
                    logs.system("[stopped: wall time limit of " + job.limits().timeout().toSeconds() + " s]",
                            clock.instant());
                    return new Ending(null, new Outcome(ExecutionStatus.TIMED_OUT, null, false, null,
                            "the agent did not finish within " + job.limits().timeout().toSeconds() + " s"));
                }
                try {
                    CompletableFuture.anyOf(exited, cancelled, askedAgain == null ? exitDue : askedAgain)
                            .get(left, TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // the deadline, or the engine's failure: both looked at above
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the agent ran", e);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            exited.cancel(false); // a runtime that watches for the exit stops watching
            if (askedAgain != null) {
                askedAgain.cancel(false);
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
