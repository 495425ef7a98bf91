package dev.chatlab.scenarios.coarse;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {

    @Test
    void shouldGiveNearestRankPercentilesExactlyBelow2048() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 1000; v++) {
            h.record(v);
        }
        assertThat(h.percentile(50)).isEqualTo(500);
        assertThat(h.percentile(99)).isEqualTo(990);
        assertThat(h.percentile(99.9)).isEqualTo(999);
        assertThat(h.percentile(100)).isEqualTo(1000);
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.min()).isEqualTo(1);
    }

    @Test
    void shouldWeighABatchByItsCount() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(10, 99);
        h.record(1_000, 1);
        assertThat(h.percentile(99)).isEqualTo(10);
        assertThat(h.percentile(99.5)).isEqualTo(1_000);
        assertThat(h.summary()).containsEntry("count", 100L).containsEntry("max_us", 1_000L);
    }

    @Property
    void shouldKeepThreeSignificantDigits(@ForAll @LongRange(min = 0, max = (1L << 40) - 1) long value) {
        LatencyHistogram h = new LatencyHistogram();
        h.record(value);
        h.record(LatencyHistogram.VALUE_MAX);
        long reported = h.percentile(50);
        assertThat(reported).isGreaterThanOrEqualTo(value);
        assertThat(reported - value).isLessThanOrEqualTo(value / 1024);
    }

    @Test
    void shouldAddAndReset() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        a.record(5);
        b.record(7_000);
        a.add(b);
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.max()).isBetween(7_000L, 7_007L);           // the top of 7000's bucket (three digits)
        a.reset();
        assertThat(a.count()).isZero();
        assertThat(a.percentile(50)).isZero();
    }
}
