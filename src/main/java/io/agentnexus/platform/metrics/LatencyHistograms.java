package io.agentnexus.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Latency timers as histograms (for Prometheus quantiles across replicas) plus local percentiles: HTTP
 * requests, chain calls, queue waits, container starts and runs.
 */
@Singleton
public class LatencyHistograms {

    @Produces
    @Singleton
    MeterFilter latencyHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                boolean latency = id.getName().equals("http.server.requests")
                        || id.getName().startsWith("agentnexus.chain.calls")
                        || id.getName().startsWith("agentnexus.executions.");
                if (!latency || id.getType() != Meter.Type.TIMER) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .percentiles(0.5, 0.95, 0.99)
                        .build()
                        .merge(config);
            }
        };
    }
}
