package io.agentnexus.runtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/** Which engine runs agents; read at start-up, so one image serves both. */
@ConfigMapping(prefix = "agentnexus.runtime")
public interface RuntimeChoice {

    /** {@code agentnexus.runtime} itself. */
    @WithParentName
    @WithDefault("docker")
    Kind runtime();

    enum Kind {
        DOCKER, KUBERNETES
    }
}
