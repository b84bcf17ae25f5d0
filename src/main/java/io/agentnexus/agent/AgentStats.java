package io.agentnexus.agent;

/**
 * Usage of an agent, computed in SQL. successRate = succeeded / (succeeded + failed), where failed
 * counts FAILED and TIMED_OUT runs; durations are of finished runs; revenue counts paid purchases
 * (confirmed or released, not refunded) in base units of the agent's price token.
 */
public record AgentStats(
        long executions,
        long succeeded,
        long failed,
        double successRate,
        long averageDurationMs,
        long p95DurationMs,
        long purchases,
        String revenue,
        long uniqueUsers) {
}
