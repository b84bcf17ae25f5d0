package io.agentnexus.runtime;

import io.agentnexus.platform.text.Sha256;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Job of one agent run: the isolation profile as pod spec. Kubernetes has no per-pod pids limit in the
 * spec (the kubelet's podPidsLimit applies) and no "network none": the runs namespace's NetworkPolicy denies
 * agent pods all traffic. The image's own VOLUMEs cannot be read without a registry client: only /tmp is
 * mounted (size-capped, in memory); nodes that run agents should ignore image-defined volumes (containerd
 * {@code ignore_image_defined_volumes = true}, CRI-O {@code image_volumes = "ignore"}).
 */
final class AgentJob {

    static final String CONTAINER = "agent";
    static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    static final String COMPONENT = "agent-run";
    static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
    static final String PART_OF = "agentnexus";
    /** Set by the Job controller on the pods it creates (Kubernetes 1.27+). */
    static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    private static final long USER = 65534;
    /** activeDeadlineSeconds beyond the run's timeout: the runner's own timeout (and its message) comes first. */
    private static final long DEADLINE_GRACE_SECONDS = 30;
    /** How long a stopped agent may take to exit after SIGTERM, whatever grace a stop asks for. */
    private static final long TERMINATION_GRACE_SECONDS = 5;
    /** A valid label value: at most 63 characters, alphanumeric at both ends, [-_.] inside. */
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");

    private AgentJob() {
    }

    /** Deterministic from the labels (one run attempt carries one set), so a retried create finds its own Job. */
    static String name(Map<String, String> labels) {
        return "run-" + Sha256.hex(new TreeMap<>(labels).toString()).substring(0, 20);
    }

    static Job of(String name, ContainerRuntime.ContainerSpec spec, KubernetesRuntimeConfig config) {
        IsolationProfile limits = spec.limits();
        Map<String, String> labels = labels(spec.labels());
        Map<String, Quantity> resources = Map.of("memory", new Quantity(String.valueOf(limits.memoryBytes())),
                "cpu", new Quantity(limits.nanoCpus() / 1_000_000 + "m"));
        List<EnvVar> env = new TreeMap<>(spec.env()).entrySet().stream()
                .map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList();
        List<LocalObjectReference> pullSecrets = config.imagePullSecrets().orElse(List.of()).stream()
                .map(LocalObjectReference::new).toList();
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(config.namespace()).withLabels(labels)
                    .withAnnotations(fullValues(spec.labels())).endMetadata()
                .withNewSpec()
                    .withSuspend(true) // nothing runs before start()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(limits.timeout().toSeconds() + DEADLINE_GRACE_SECONDS)
                    .withTtlSecondsAfterFinished((int) config.ttlAfterFinished().toSeconds())
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                            .withImagePullSecrets(pullSecrets)
                            .withNewSecurityContext()
                                .withRunAsUser(USER).withRunAsGroup(USER).withRunAsNonRoot(true)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(spec.image())
                                .withImagePullPolicy("IfNotPresent")
                                .withEnv(env)
                                // The agent contract: the input on stdin too, delivered by one attach, then EOF.
                                .withStdin(true).withStdinOnce(true).withTty(false)
                                .withNewResources().withLimits(resources).withRequests(resources).endResources()
                                .withNewSecurityContext()
                                    .withRunAsUser(USER).withRunAsGroup(USER).withRunAsNonRoot(true)
                                    .withReadOnlyRootFilesystem(true)
                                    .withAllowPrivilegeEscalation(false)
                                    .withPrivileged(false)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                                .endSecurityContext()
                                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("tmp").withNewEmptyDir().withMedium("Memory")
                                .withSizeLimit(new Quantity(String.valueOf(limits.tmpfsBytes()))).endEmptyDir()
                            .endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The run's labels as valid label values, plus the component and part-of labels. */
    static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> result = new TreeMap<>();
        labels.forEach((key, value) -> result.put(key, labelValue(value)));
        result.put(COMPONENT_LABEL, COMPONENT);
        result.put(PART_OF_LABEL, PART_OF);
        return result;
    }

    /** Label values Kubernetes would refuse (such as a long instance name), whole, as annotations of the same key. */
    static Map<String, String> fullValues(Map<String, String> labels) {
        Map<String, String> result = new TreeMap<>();
        labels.forEach((key, value) -> {
            if (!LABEL_VALUE.matcher(value).matches()) {
                result.put(key, value);
            }
        });
        return result;
    }

    /**
     * A value as it can be a label: unchanged when valid; otherwise a readable head and a hash of the whole
     * value, so that equal values stay equal and distinct ones distinct (the selector of listByLabel maps the
     * same way).
     */
    static String labelValue(String value) {
        if (LABEL_VALUE.matcher(value).matches()) {
            return value;
        }
        String head = value.replaceAll("[^-A-Za-z0-9_.]", "-");
        head = head.substring(0, Math.min(head.length(), 50)).replaceAll("^[^A-Za-z0-9]+", "");
        String hash = Sha256.hex(value).substring(0, 12);
        return head.isEmpty() ? hash : head + "-" + hash;
    }
}
