package io.agentnexus.execution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How runs are queued, run and recovered. The instance name is set in application.properties because it
 * is built from the host name; the heartbeat and reaper intervals are also read by their {@code @Scheduled}
 * expressions, which see these defaults.
 */
@ConfigMapping(prefix = "agentnexus.executions")
public interface ExecutionsConfig {

    /** Concurrent runs on this instance; 0 on API-only replicas, which queue runs but run none. */
    @WithDefault("2")
    int workers();

    /** How often idle workers look for queued runs (a run queued on this instance wakes one at once). */
    @WithDefault("500ms")
    Duration pollInterval();

    /** This instance's name in claims, heartbeats and container labels. */
    String instance();

    /** How often an instance beats for every run it has in flight, whatever the phase. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** How often the reaper looks for interrupted runs and orphaned containers. */
    @WithDefault("30s")
    Duration reaperInterval();

    /** A run whose instance has not beaten this long was interrupted. */
    @WithDefault("30s")
    Duration staleAfter();

    /** Attempts of a run the platform interrupted before it is FAILED. */
    @WithDefault("3")
    int maxAttempts();

    /** The largest input, as JSON. */
    @WithDefault("262144")
    int inputCap();

    /** The largest result (the agent's last stdout line). */
    @WithDefault("1048576")
    int outputCap();

    /** Stored log bytes per run; the rest is dropped with a marker. */
    @WithDefault("5242880")
    long logCap();
}
