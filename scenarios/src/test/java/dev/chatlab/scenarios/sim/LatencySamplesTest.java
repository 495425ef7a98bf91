package dev.chatlab.scenarios.sim;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySamplesTest {

    @Test
    void shouldReportNearestRankPercentilesOfOneToAThousand() {
        LatencySamples samples = new LatencySamples();
        for (long v = 1000; v >= 1; v--) {   // added out of order: the summary must sort
            samples.add(v);
        }
        Map<String, Object> summary = samples.summary();
        assertThat(summary).containsEntry("count", 1000).containsEntry("p50_us", 500L).containsEntry("p99_us", 990L)
                .containsEntry("p999_us", 999L).containsEntry("max_us", 1000L);
    }

    @Test
    void shouldReportZerosWhenNothingWasMeasured() {
        assertThat(new LatencySamples().summary()).containsEntry("count", 0).containsEntry("p50_us", 0L)
                .containsEntry("max_us", 0L);
    }
}
