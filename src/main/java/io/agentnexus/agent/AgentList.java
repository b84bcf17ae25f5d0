package io.agentnexus.agent;

import java.util.List;

/** One page of the catalog. */
public record AgentList(List<AgentView> agents, int page, int size, long total) {
}
