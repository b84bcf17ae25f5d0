package io.agentnexus.execution;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One heartbeat for every run this instance has in flight, whatever its phase (image pull, create,
 * start, the wait, draining its logs): the reaper must not take a slow pull for a dead instance. With it,
 * one query for the cancel flags of those runs: cancels come at once by NOTIFY; this catches a missed one.
 */
@ApplicationScoped
class ExecutionHeartbeat {

    private static final Logger LOG = Logger.getLogger(ExecutionHeartbeat.class);

    private final ExecutionQueue queue;
    private final CancelSignals cancels;
    private final Set<ExecutionQueue.Attempt> inFlight = ConcurrentHashMap.newKeySet();

    ExecutionHeartbeat(ExecutionQueue queue, CancelSignals cancels) {
        this.queue = queue;
        this.cancels = cancels;
    }

    /** From its claim until it is finished (or handed back), this attempt beats. */
    void running(ExecutionQueue.Attempt run) {
        inFlight.add(run);
    }

    void done(ExecutionQueue.Attempt run) {
        inFlight.remove(run);
    }

    @Scheduled(identity = "execution-heartbeat", every = "${agentnexus.executions.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void beat() {
        List<ExecutionQueue.Attempt> runs = List.copyOf(inFlight);
        if (runs.isEmpty()) {
            return;
        }
        try {
            queue.heartbeat(runs);
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat of %d running executions not recorded: %s", runs.size(), e.getMessage());
        }
        try {
            checkCancels();
        } catch (RuntimeException e) {
            LOG.warnf("cancel check of %d running executions failed: %s", runs.size(), e.getMessage());
        }
    }

    /** Signals the cancels asked for the runs in flight here (a notification of one may have been missed). */
    void checkCancels() {
        List<java.util.UUID> ids = inFlight.stream().map(ExecutionQueue.Attempt::id).distinct().toList();
        if (!ids.isEmpty()) {
            queue.cancelsRequested(ids).forEach(cancels::cancel);
        }
    }
}
