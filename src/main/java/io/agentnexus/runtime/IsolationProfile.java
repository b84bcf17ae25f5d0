package io.agentnexus.runtime;

import java.time.Duration;

/**
 * What a container may use: no network, read-only root, a small tmpfs /tmp, user 65534, no
 * capabilities, no new privileges, and these limits. Agents may ask for less, never for more.
 */
public record IsolationProfile(long memoryBytes, long nanoCpus, long pidsLimit, long tmpfsBytes, Duration timeout) {

    public static final String USER = "65534:65534";

    /** The platform maximum (DESIGN: 512 MiB without swap, 0.5 CPU, 5 minutes). */
    public static final IsolationProfile PLATFORM = new IsolationProfile(512L << 20, 500_000_000L, 64, 64L << 20,
            Duration.ofMinutes(5));

    /** This profile with every limit capped at the platform's. */
    public IsolationProfile cappedBy(IsolationProfile max) {
        return new IsolationProfile(Math.min(memoryBytes, max.memoryBytes), Math.min(nanoCpus, max.nanoCpus),
                Math.min(pidsLimit, max.pidsLimit), Math.min(tmpfsBytes, max.tmpfsBytes),
                timeout.compareTo(max.timeout) < 0 ? timeout : max.timeout);
    }
}
