package io.agentnexus.execution;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this instance is running, each with a future that completes when its user asks to cancel it: the
 * runner waits on it beside the container's exit. Signalled by PostgreSQL's NOTIFY ({@link QueueNotifications}),
 * by a cancel made on this instance, and by the heartbeat's check of the flag (a missed notification).
 */
@ApplicationScoped
class CancelSignals {

    private final Map<UUID, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    /** From here until {@link #forget}, a cancel of this execution completes the future. */
    CompletableFuture<Void> watch(UUID executionId) {
        return running.computeIfAbsent(executionId, id -> new CompletableFuture<>());
    }

    void forget(UUID executionId) {
        running.remove(executionId);
    }

    /** Its user asked to cancel it; nothing if it does not run here. True if it runs here. */
    boolean cancel(UUID executionId) {
        CompletableFuture<Void> cancelled = running.get(executionId);
        return cancelled != null && cancelled.complete(null);
    }
}
