package io.agentnexus.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void functionsKeywordsLabelsRangesAndNumbersAreNotMetrics() {
        assertEquals(Set.of("a_total", "b_bucket"), PromQl.metricNames("""
                sum(rate(a_total{job="x", status=~"5.."}[5m])) / sum by (le) (rate(b_bucket{le="+Inf"}[1h:1m]))
                  > 0.01 and on (job) group_left (instance) a_total offset 5m > bool 1e3 or vector(1)"""));
    }

    @Test
    void aBareSelectorIsAMetric() {
        assertEquals(Set.of("up"), PromQl.metricNames("absent(up{job=\"agentnexus\"} == 1)"));
    }

    @Test
    void grafanaVariablesAndStringsWithBracesAreDropped() {
        assertEquals(Set.of("c_seconds_count"), PromQl.metricNames(
                "topk(5, sum without (pod) (rate(c_seconds_count{job=\"$job\", uri=~\"/a/{id}|${x}\"}[$__rate_interval])))"));
    }
}
