package io.agentnexus.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.InputStreamSource;
import io.agentnexus.platform.error.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The JSON Schemas creators attach to agents: checked when an agent is published or changed, then
 * applied to each run's input and output. A creator's schema is hostile input: no check ever reads a
 * URL or a file ($ref may only point inside the schema), and every check has a time bound.
 */
@ApplicationScoped
public class AgentSchemas {

    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    // values of these are data, not schemas: a "$ref" key inside them refers to nothing
    private static final Set<String> DATA_KEYWORDS = Set.of("const", "enum", "default", "examples");
    // what the library's meta-schema mapper turns the known draft IRIs into: the only documents it may read
    private static final Pattern BUNDLED_META_SCHEMA =
            Pattern.compile("classpath:(draft-0[467]/schema|draft/20(19-09|20-12)/(schema|meta/[a-z-]+))");

    private final ObjectMapper json;
    private final AgentSchemaConfig settings;
    private final BoundedRegularExpressions regexes;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;

    AgentSchemas(ObjectMapper json, AgentSchemaConfig settings) {
        this.json = json;
        this.settings = settings;
        this.regexes = new BoundedRegularExpressions(settings.checkTimeout());
        // our loader answers every IRI (or refuses it), so the library's own classpath and URL loaders never run
        this.factory = JsonSchemaFactory.getInstance(VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.add(AgentSchemas::bundledMetaSchemaOnly)));
        this.config = SchemaValidatorsConfig.builder().pathType(PathType.LEGACY).regularExpressionFactory(regexes)
                .build();
    }

    /** What is wrong with a creator's schema for {@code field} (inputSchema, outputSchema); empty when usable. */
    public List<FieldError> problems(String field, Map<String, Object> schema) {
        JsonNode node = json.valueToTree(schema);
        long size = serialisedSize(node);
        if (size > settings.maxSize().asLongValue()) {
            return List.of(new FieldError(field, "is " + size + " bytes as JSON; the limit is "
                    + settings.maxSize().asLongValue()));
        }
        Optional<String> outside = outsideReference(node);
        if (outside.isPresent()) {
            return List.of(new FieldError(field, "may refer only to its own parts (\"#...\"), not to \""
                    + outside.get() + "\""));
        }
        JsonNode declared = node.get("$schema");
        Optional<VersionFlag> draft = declared == null ? Optional.of(VersionFlag.V202012)
                : declared.isTextual() ? VersionFlag.fromId(declared.asText()) : Optional.empty();
        if (draft.isEmpty()) {
            return List.of(new FieldError(field + ".$schema", "must name a supported draft, one of "
                    + Arrays.stream(VersionFlag.values()).map(VersionFlag::getId).toList()));
        }
        return checked(field, "", () -> {
            JsonSchema meta = factory.getSchema(SchemaLocation.of(draft.get().getId()), config);
            List<FieldError> invalid = fieldErrors(meta.validate(node), field);
            if (invalid.isEmpty()) {
                JsonSchema compiled = factory.getSchema(node, config);
                compiled.initializeValidators(); // resolves every $ref: a dangling one fails here
                compiled.validate(json.createObjectNode()); // a $ref loop at the root shows here
            }
            return invalid;
        });
    }

    /** The violations of {@code schema} by {@code value}, as field errors under {@code root}; empty if it conforms. */
    public List<FieldError> violations(Map<String, Object> schema, Object value, String root) {
        JsonNode schemaNode = json.valueToTree(schema);
        JsonNode valueNode = json.valueToTree(value);
        return checked(root, "the agent's schema ",
                () -> fieldErrors(factory.getSchema(schemaNode, config).validate(valueNode), root));
    }

    /** Runs a check within the time bound; a check that cannot finish is a field error, never a 500. */
    private List<FieldError> checked(String field, String subject, Supplier<List<FieldError>> check) {
        try {
            return regexes.within(check);
        } catch (StackOverflowError e) {
            return List.of(new FieldError(field, subject + "refers to itself in an endless loop"));
        } catch (RuntimeException e) {
            if (causes(e, BoundedRegularExpressions.TooSlow.class)) {
                return List.of(new FieldError(field, "the check against " + (subject.isEmpty() ? "the schema "
                        : subject) + "took longer than " + settings.checkTimeout().toMillis() + " ms"));
            }
            return List.of(new FieldError(field, subject + "is not a usable JSON Schema: " + reason(e)));
        }
    }

    private static InputStreamSource bundledMetaSchemaOnly(AbsoluteIri iri) {
        String location = iri.toString();
        if (BUNDLED_META_SCHEMA.matcher(location).matches()) {
            String resource = location.substring("classpath:".length());
            return () -> JsonSchemaFactory.class.getClassLoader().getResourceAsStream(resource);
        }
        throw new IllegalArgumentException("\"" + location + "\" is outside the schema and is not read");
    }

    private static List<FieldError> fieldErrors(Iterable<ValidationMessage> messages, String root) {
        List<FieldError> errors = new ArrayList<>();
        messages.forEach(m -> errors.add(new FieldError(root + m.getInstanceLocation().toString().substring(1),
                m.getError())));
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        return errors;
    }

    private static Optional<String> outsideReference(JsonNode node) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                JsonNode value = entry.getValue();
                if (DATA_KEYWORDS.contains(entry.getKey())) {
                    continue;
                }
                if (REFERENCE_KEYWORDS.contains(entry.getKey()) && value.isTextual()
                        && !value.asText().startsWith("#")) {
                    return Optional.of(value.asText());
                }
                Optional<String> inner = outsideReference(value);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                Optional<String> inner = outsideReference(element);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private long serialisedSize(JsonNode node) {
        try {
            return json.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, on one line (a regex syntax error spans three). */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceFirst("^:\\s*", "").lines().findFirst().orElse("").strip();
    }
}
