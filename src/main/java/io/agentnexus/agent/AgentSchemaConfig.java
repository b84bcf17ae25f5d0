package io.agentnexus.agent;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits on the JSON Schemas creators attach to their agents. */
@ConfigMapping(prefix = "agentnexus.agents.schemas")
public interface AgentSchemaConfig {

    /** The largest inputSchema or outputSchema, serialised as JSON. */
    @WithDefault("64K")
    MemorySize maxSize();

    /** How long one check (a schema at publish, or a value against a schema) may take. */
    @WithDefault("500ms")
    Duration checkTimeout();
}
