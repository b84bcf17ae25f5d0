package io.agentnexus.agent;

import java.util.UUID;

/** Fired inside the transaction that wrote an agent; the cache drops stale reads once it commits. */
record AgentChanged(UUID agentId) {
}
