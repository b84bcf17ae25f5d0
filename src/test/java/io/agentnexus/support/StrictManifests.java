package io.agentnexus.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strict manifest check (no kubeconform can be had here): every object is read into fabric8's typed
 * model for its apiVersion and kind, and any field the model does not know (which fabric8 would quietly
 * keep in {@code additionalProperties}) fails the check with its path. A kind with no typed model is checked
 * against its vendored CRD schema ({@link CrdSchemas}, its metadata against fabric8's ObjectMeta); a kind with
 * neither fails.
 */
public final class StrictManifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private StrictManifests() {
    }

    /** Every document of a YAML stream (such as {@code kustomize build}'s output), checked; the typed objects. */
    public static List<HasMetadata> checkYaml(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    objects.add(check(document));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /** An object built in code (such as the Job the runtime submits), checked as the API server would receive it. */
    public static HasMetadata check(HasMetadata object) {
        return check(SERIALIZATION.convertValue(object, JsonNode.class));
    }

    private static HasMetadata check(JsonNode document) {
        String kind = document.path("apiVersion").asText() + " " + document.path("kind").asText();
        String name = kind + " " + document.path("metadata").path("name").asText("(no name)");
        KubernetesResource typed = SERIALIZATION.convertValue(document, KubernetesResource.class);
        if (typed instanceof GenericKubernetesResource custom) {
            return checkCustom(custom, document, name, kind);
        }
        if (!(typed instanceof HasMetadata object)) {
            throw new AssertionError(name + ": no typed model for " + kind + " (unknown or misspelt apiVersion/kind)");
        }
        failOnUnknown(typed, "", name);
        return object;
    }

    private static HasMetadata checkCustom(GenericKubernetesResource custom, JsonNode document, String name,
            String kind) {
        var schema = CrdSchemas.forKind(custom.getApiVersion(), custom.getKind()).orElseThrow(() -> new AssertionError(
                name + ": no typed model and no vendored CRD schema for " + kind + " (unknown or misspelt apiVersion/kind)"));
        List<String> violations = CrdSchemas.violations(schema, document);
        if (!violations.isEmpty()) {
            throw new AssertionError(name + ": does not match its CRD schema " + violations);
        }
        failOnUnknown(SERIALIZATION.convertValue(document.path("metadata"), ObjectMeta.class), ".metadata", name);
        return custom;
    }

    private static void failOnUnknown(Object typed, String path, String name) {
        List<String> unknown = new ArrayList<>();
        walk(typed, path, unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (!unknown.isEmpty()) {
            throw new AssertionError(name + ": unknown fields " + unknown);
        }
    }

    private static void walk(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> walk(item, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (!getter.getName().startsWith("get") || getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child = invoke(getter, value);
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (field.equals("additionalProperties")) {
                if (child instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else {
                walk(child, path + "." + field, unknown, seen);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null; // not a property (an accessor of a non-public class or one that computes and throws)
        }
    }
}
