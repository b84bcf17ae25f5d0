package io.agentnexus.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kinds that have no typed fabric8 model (KEDA's ScaledObject), checked against the openAPIV3Schema of their
 * CustomResourceDefinition, vendored from a release under src/test/resources/crds. Strict like the API server
 * with field validation: an object schema that declares properties gets additionalProperties:false, unless it
 * says x-kubernetes-preserve-unknown-fields.
 */
final class CrdSchemas {

    /** One file per CRD, as the project ships it (a newer release replaces the file as a whole). */
    private static final List<String> VENDORED = List.of("crds/keda.sh_scaledobjects.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, JsonSchema> BY_KIND = load();

    private CrdSchemas() {
    }

    /** The strict schema for "group/version Kind", if a vendored CRD serves it. */
    static Optional<JsonSchema> forKind(String apiVersion, String kind) {
        return Optional.ofNullable(BY_KIND.get(apiVersion + " " + kind));
    }

    /** The schema's complaints about one object, as "path: message". */
    static List<String> violations(JsonSchema schema, JsonNode object) {
        return schema.validate(object).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static Map<String, JsonSchema> load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(VersionFlag.V4);
        Map<String, JsonSchema> schemas = new HashMap<>();
        for (String resource : VENDORED) {
            JsonNode crd = read(resource);
            String group = crd.path("spec").path("group").asText();
            String kind = crd.path("spec").path("names").path("kind").asText();
            for (JsonNode version : crd.path("spec").path("versions")) {
                JsonNode schema = strict(version.path("schema").path("openAPIV3Schema").deepCopy());
                schemas.put(group + "/" + version.path("name").asText() + " " + kind, factory.getSchema(schema));
            }
        }
        return schemas;
    }

    private static JsonNode read(String resource) {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("vendored CRD " + resource + " is not on the test classpath");
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * OpenAPI v3 (Kubernetes flavour) to strict JSON Schema draft 4: closed objects, int-or-string as anyOf,
     * nullable as a null type, and the x-kubernetes-* extensions (CEL rules, list types) left out.
     */
    private static JsonNode strict(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            schema.set("anyOf", NODES.arrayNode().add(NODES.objectNode().put("type", "integer"))
                    .add(NODES.objectNode().put("type", "string")));
            schema.remove("type");
        }
        if (schema.path("nullable").asBoolean(false) && schema.has("type")) {
            schema.set("type", NODES.arrayNode().add(schema.get("type")).add("null"));
        }
        schema.remove("nullable");
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("x-kubernetes-")) {
                names.remove();
            }
        }
        if (schema.has("properties") && !schema.has("additionalProperties") && !open) {
            schema.put("additionalProperties", false);
        }
        schema.path("properties").fields().forEachRemaining(field -> field.setValue(strict(field.getValue())));
        for (String child : List.of("items", "additionalProperties", "not")) {
            if (schema.has(child)) {
                schema.set(child, strict(schema.get(child)));
            }
        }
        for (String list : List.of("allOf", "anyOf", "oneOf")) {
            if (schema.get(list) instanceof ArrayNode alternatives) {
                for (int i = 0; i < alternatives.size(); i++) {
                    alternatives.set(i, strict(alternatives.get(i)));
                }
            }
        }
        return schema;
    }
}
