package io.agentnexus.execution;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * What a finished run was, as another feature may see it (the run receipt signs these facts). Nullable:
 * imageDigest and startedAt (never started), output, exitCode, paymentId (nothing paid for the run).
 */
public record FinishedRun(UUID id, UUID agentId, String imageDigest, Map<String, Object> input,
        Map<String, Object> output, ExecutionStatus status, Integer exitCode, Instant startedAt, Instant endedAt,
        String paymentId) {
}
