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

    /**
     * How often idle workers look for queued runs anyway: a safety net only. A run queued on any replica wakes
     * them at once through PostgreSQL's NOTIFY; this bounds the delay when a notification is missed (the
     * listening connection reconnecting).
     */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * Whether this instance LISTENs for queued runs and cancels (one dedicated database connection, only on
     * instances with workers). Off, runs are found by the poll and cancels by the heartbeat's check.
     */
    @WithDefault("true")
    boolean listen();

    /**
     * How often the instance stores every run's new log lines, in one transaction (and signals followers); a run
     * with 200 lines pending stores them at once.
     */
    @WithDefault("250ms")
    Duration logFlushInterval();

    /** How many containers of finished runs may wait for removal (in the background, after the result is recorded). */
    @WithDefault("1000")
    int removalBacklog();

    /** This instance's name in claims, heartbeats and container labels. */
    String instance();

    /**
     * How often an instance beats for every run it has in flight, whatever the phase; with the beat it checks
     * whether any of them was asked to cancel (a safety net: cancels arrive at once through NOTIFY).
     */
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
