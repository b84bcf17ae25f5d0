package io.agentnexus.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * The one {@link ContainerRuntime} the service uses, chosen by {@code agentnexus.runtime}. Both
 * implementations are lazy application-scoped beans: the one not chosen is never instantiated, so it
 * creates no client and needs no engine or API server; the chosen one is built on first use (a worker's
 * first look at the engine), not on the start-up path.
 */
@ApplicationScoped
class ContainerRuntimes {

    private static final Logger LOG = Logger.getLogger(ContainerRuntimes.class);

    @Produces
    @ApplicationScoped
    ContainerRuntime runtime(RuntimeChoice choice, Instance<DockerContainerRuntime> docker,
            Instance<KubernetesContainerRuntime> kubernetes) {
        LOG.infof("agents run on %s", choice.runtime() == RuntimeChoice.Kind.KUBERNETES
                ? "Kubernetes Jobs" : "the Docker engine");
        return choice.runtime() == RuntimeChoice.Kind.KUBERNETES ? kubernetes.get() : docker.get();
    }
}
