package io.agentnexus.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.agentnexus.platform.error.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** JSON Schema (2020-12 unless the schema names another draft) checks of agent input and output. */
@ApplicationScoped
class JsonSchemas {

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> { }));
    private final ObjectMapper json;

    JsonSchemas(ObjectMapper json) {
        this.json = json;
    }

    /** The violations of {@code schema} by {@code value}, as field errors; empty when it conforms. */
    List<Problem.FieldError> violations(Map<String, Object> schema, Object value, String root) {
        JsonNode schemaNode = json.valueToTree(schema);
        var compiled = factory.getSchema(schemaNode);
        return compiled.validate(json.valueToTree(value)).stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .map(m -> new Problem.FieldError(root + m.getInstanceLocation().toString().substring(1),
                        m.getMessage()))
                .toList();
    }
}
