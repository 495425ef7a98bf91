package dev.chatlab.scenarios.coarse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A latency histogram over primitive buckets with HdrHistogram's layout: values below 2048 are
 * counted exactly, larger ones in buckets 1/1024 of their magnitude wide (three significant
 * digits), up to 2^40 us (12 days). Recording allocates nothing, and percentiles come back as the
 * top of the bucket (HdrHistogram's "highest equivalent value"), capped at the largest value seen.
 *
 * <p>It stands in for {@code org.HdrHistogram.Histogram} because this module does not depend on
 * HdrHistogram; its buckets and percentile rule are the same, so a summary reads the same.
 *
 * <pre>{@code
 * LatencyHistogram h = new LatencyHistogram();
 * h.record(1_250);
 * h.record(40_000, 12);          // twelve deliveries of one batch
 * long p99 = h.percentile(99);
 * }</pre>
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 10;
    private static final int SUB = 1 << SUB_BITS;        // 1024 buckets per magnitude above the exact range
    private static final int EXACT = 2 * SUB;             // 0..2047 counted one by one
    static final long VALUE_MAX = (1L << 40) - 1;
    private static final int MAGNITUDES = 40 - SUB_BITS;  // magnitudes 1..30 above the exact range
    private static final int BUCKETS = EXACT + MAGNITUDES * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;

    void record(long value) {
        record(value, 1);
    }

    void record(long value, long count) {
        if (count <= 0) {
            return;
        }
        long v = Math.max(0, Math.min(value, VALUE_MAX));
        counts[index(v)] += count;
        total += count;
        if (v > max) {
            max = v;
        }
        if (v < min) {
            min = v;
        }
    }

    static int index(long v) {
        if (v < EXACT) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;   // >= 1
        return EXACT + (shift - 1) * SUB + (int) ((v >> shift) - SUB);
    }

    /** The largest value that falls in bucket {@code i}. */
    static long highestInBucket(int i) {
        if (i < EXACT) {
            return i;
        }
        int shift = (i - EXACT) / SUB + 1;
        long sub = (i - EXACT) % SUB + SUB;
        return ((sub + 1) << shift) - 1;
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    long min() {
        return total == 0 ? 0 : min;
    }

    /** Nearest rank: the value at or below which {@code percent} of the recorded values lie; 0 when empty. */
    long percentile(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total - 1e-9));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestInBucket(i), max);
            }
        }
        return max;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
        min = Long.MAX_VALUE;
    }

    /** {@code {count, p50_us, p90_us, p99_us, p999_us, max_us}}: the shape of the full-level summary, plus p90. */
    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", total);
        out.put("p50_us", percentile(50));
        out.put("p90_us", percentile(90));
        out.put("p99_us", percentile(99));
        out.put("p999_us", percentile(99.9));
        out.put("max_us", max);
        return out;
    }
}
