package io.agentnexus.execution;

import io.agentnexus.agent.AgentSchemas;
import io.agentnexus.platform.error.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/** A run's input and output checked against the agent's schemas (no I/O, time-bounded: see AgentSchemas). */
@ApplicationScoped
class JsonSchemas {

    private final AgentSchemas schemas;

    JsonSchemas(AgentSchemas schemas) {
        this.schemas = schemas;
    }

    /** The violations of {@code schema} by {@code value}, as field errors; empty when it conforms. */
    List<Problem.FieldError> violations(Map<String, Object> schema, Object value, String root) {
        return schemas.violations(schema, value, root);
    }
}
