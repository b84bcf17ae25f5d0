package io.agentnexus.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentnexus.support.StrictManifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One overlay as `kustomize build` renders it, every object through the strict manifest check. */
record Rendered(String overlay, List<HasMetadata> objects) {

    static final String NAMESPACE = "agentnexus";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Rendered build(Path dir) {
        return new Rendered(dir.getFileName().toString(), StrictManifests.checkYaml(Kustomize.build(dir)));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> named = all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
        if (named.size() != 1) {
            throw new AssertionError(overlay + ": expected one " + type.getSimpleName() + " " + name + ", found "
                    + named.size());
        }
        return named.get(0);
    }

    /** A custom resource without a typed model (a KEDA ScaledObject), as a JSON tree. */
    JsonNode custom(String kind, String name) {
        return JSON.valueToTree(all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name)));
    }

    Deployment api() {
        return one(Deployment.class, "agentnexus");
    }

    Deployment workers() {
        return one(Deployment.class, "agentnexus-worker");
    }

    /** The environment a container starts with: its ConfigMaps' data, then its own env (which wins). */
    Map<String, String> environment(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                env.putAll(one(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
        }
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), Objects.requireNonNullElse(var.getValue(), "(from " + var.getValueFrom() + ")"));
        }
        return env;
    }

    static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(deployment.getMetadata().getName() + ": expected one container");
        }
        return containers.get(0);
    }
}
