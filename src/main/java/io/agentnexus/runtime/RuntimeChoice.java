package io.agentnexus.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which engine runs agents; read at start-up, so one image serves both. */
@ConfigMapping(prefix = "agentnexus")
public interface RuntimeChoice {

    @WithDefault("docker")
    Kind runtime();

    enum Kind {
        DOCKER, KUBERNETES
    }
}
