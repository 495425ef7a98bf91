package dev.chatlab.scenarios.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts per bucket of virtual time: connections per second, reconnect attempts per second. A
 * herd shows as a spike in one bucket; a jittered reconnect as a spread over many.
 *
 * <pre>{@code
 * TimeSeries attempts = new TimeSeries(1_000_000);     // 1 s buckets
 * attempts.add(2_350_000);                              // one in bucket 2
 * attempts.toList(10_000_000);                          // [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
 * }</pre>
 */
public final class TimeSeries {

    private final long bucketMicros;
    private long[] counts = new long[16];

    public TimeSeries(long bucketMicros) {
        if (bucketMicros <= 0) {
            throw new IllegalArgumentException("bucket must be positive: " + bucketMicros);
        }
        this.bucketMicros = bucketMicros;
    }

    public long bucketMicros() {
        return bucketMicros;
    }

    public void add(long atMicros) {
        add(atMicros, 1);
    }

    public void add(long atMicros, long n) {
        int bucket = (int) (atMicros / bucketMicros);
        if (bucket >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(bucket + 1, counts.length * 2));
        }
        counts[bucket] += n;
    }

    public long count(int bucket) {
        return bucket < counts.length ? counts[bucket] : 0;
    }

    /** One count per bucket from 0 up to the bucket holding {@code endMicros - 1}. */
    public List<Long> toList(long endMicros) {
        int buckets = (int) ((endMicros + bucketMicros - 1) / bucketMicros);
        List<Long> out = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            out.add(count(b));
        }
        return out;
    }

    /** The largest count in any bucket. */
    public long peak() {
        long max = 0;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        return max;
    }
}
