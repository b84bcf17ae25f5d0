package io.agentnexus.agent;

/** Only ACTIVE agents are public; DRAFT and INACTIVE ones are seen by their creator and admins. */
public enum AgentStatus {
    DRAFT, ACTIVE, INACTIVE
}
