package dev.chatlab.scenarios.coarse;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latencies of a coarse run in microseconds: an HdrHistogram of fixed range (1 us to 2^40 us, 12
 * days) and three significant digits, so recording allocates nothing and percentiles are those
 * of every full-level summary and of the report's {@code .hlog} files. A batch of deliveries is
 * recorded once with its count.
 *
 * <pre>{@code
 * LatencyHistogram h = new LatencyHistogram();
 * h.record(1_250);
 * h.record(40_000, 12);          // twelve deliveries of one batch
 * long p99 = h.percentile(99);
 * }</pre>
 */
final class LatencyHistogram {

    static final long VALUE_MAX = (1L << 40) - 1;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(1, VALUE_MAX, SIGNIFICANT_DIGITS);

    void record(long value) {
        record(value, 1);
    }

    void record(long value, long count) {
        if (count > 0) {
            histogram.recordValueWithCount(Math.max(0, Math.min(value, VALUE_MAX)), count);
        }
    }

    long count() {
        return histogram.getTotalCount();
    }

    long max() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMaxValue();
    }

    long min() {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMinValue();
    }

    /**
     * The value at or below which {@code percent} of the recorded values lie (HdrHistogram's
     * nearest rank, reported as the top of its bucket, never above the largest value); 0 when empty.
     */
    long percentile(double percent) {
        if (histogram.getTotalCount() == 0) {
            return 0;
        }
        return Math.min(histogram.getValueAtPercentile(percent), histogram.getMaxValue());
    }

    void add(LatencyHistogram other) {
        histogram.add(other.histogram);
    }

    void reset() {
        histogram.reset();
    }

    /** The HdrHistogram itself, for writing interval logs; a live view, not a copy. */
    Histogram histogram() {
        return histogram;
    }

    /** {@code {count, p50_us, p90_us, p99_us, p999_us, max_us}}: the shape of the full-level summary, plus p90. */
    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", count());
        out.put("p50_us", percentile(50));
        out.put("p90_us", percentile(90));
        out.put("p99_us", percentile(99));
        out.put("p999_us", percentile(99.9));
        out.put("max_us", max());
        return out;
    }
}
