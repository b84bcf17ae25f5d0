package io.agentnexus.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes runtime (agent runs as Jobs). The client finds the API server when it is created: in a pod
 * its service account, elsewhere KUBERNETES_MASTER or the kubeconfig ({@code quarkus.kubernetes-client.*} is
 * fixed at build time in Quarkus 3.34, so it cannot point one image at different clusters).
 */
@ConfigMapping(prefix = "agentnexus.kubernetes")
public interface KubernetesRuntimeConfig {

    /** The namespace agent Jobs run in; its NetworkPolicy denies agent pods all traffic. */
    @WithDefault("agentnexus-runs")
    String namespace();

    /** How long a finished Job (and its pod and log) stays for inspection when the service could not remove it. */
    @WithDefault("10m")
    Duration ttlAfterFinished();

    /** Secrets in the runs namespace for pulling agent images. */
    Optional<List<String>> imagePullSecrets();

    /** How long a started run's pod may take to be scheduled and to pull its image before the start fails. */
    @WithDefault("2m")
    Duration podStartTimeout();
}
