package dev.chatlab.scenarios.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency samples in microseconds, kept exactly (a growable long array) and summarised by
 * nearest-rank percentiles. Exact is affordable at the sizes a first sim run reaches and gives
 * the same numbers on every replay.
 *
 * <pre>{@code
 * LatencySamples acks = new LatencySamples();
 * acks.add(1_250);
 * Map<String, Object> summary = acks.summary();   // {count, p50_us, p99_us, p999_us, max_us}
 * }</pre>
 */
final class LatencySamples {

    private long[] values = new long[1024];
    private int size;

    void add(long micros) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = micros;
    }

    int count() {
        return size;
    }

    Map<String, Object> summary() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", size);
        out.put("p50_us", rank(sorted, 50_000));
        out.put("p99_us", rank(sorted, 99_000));
        out.put("p999_us", rank(sorted, 99_900));
        out.put("max_us", size == 0 ? 0 : sorted[size - 1]);
        return out;
    }

    /** Nearest rank for the percentile given in thousandths ({@code 99_900} is p99.9), in integers so 99.9% of 1000 is 999. */
    private static long rank(long[] sorted, long milliPercent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) ((milliPercent * sorted.length + 99_999) / 100_000);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
