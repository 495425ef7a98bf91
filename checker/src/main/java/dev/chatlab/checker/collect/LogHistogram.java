package dev.chatlab.checker.collect;

/**
 * A fixed-size histogram of non-negative longs with log-linear buckets: exact below 128, then 64
 * buckets per power of two, so a percentile read back is at most 1/64 (about 1.6 %) above the
 * true value. Memory is constant (about 30 KiB) whatever the number of values; count, min and max
 * are exact.
 *
 * <pre>{@code
 * LogHistogram staleness = new LogHistogram();
 * staleness.record(1_250);
 * long p99 = staleness.percentile(99.0);
 * }</pre>
 */
public final class LogHistogram {

    private static final int EXACT = 128;
    private static final int PER_POWER = 64;
    private static final int BUCKETS = EXACT + 57 * PER_POWER;

    private final long[] counts = new long[BUCKETS];
    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private long sum;

    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative: " + value);
        }
        counts[index(value)]++;
        count++;
        min = Math.min(min, value);
        max = Math.max(max, value);
        sum += value;
    }

    public long count() {
        return count;
    }

    /** The smallest value recorded, 0 when empty. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** The largest value recorded, 0 when empty. */
    public long max() {
        return count == 0 ? 0 : max;
    }

    /** The arithmetic mean, rounded down; 0 when empty. */
    public long mean() {
        return count == 0 ? 0 : sum / count;
    }

    /**
     * The value below or at which {@code percent} of the values lie: the upper edge of the bucket
     * that holds that rank, never above the exact maximum; 0 when empty.
     */
    public long percentile(double percent) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperEdge(i), max);
            }
        }
        return max;
    }

    static int index(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int shift = 63 - Long.numberOfLeadingZeros(value) - 6;
        return EXACT + (shift - 1) * PER_POWER + (int) ((value >>> shift) - PER_POWER);
    }

    static long upperEdge(int index) {
        if (index < EXACT) {
            return index;
        }
        int shift = (index - EXACT) / PER_POWER + 1;
        long top = (index - EXACT) % PER_POWER + PER_POWER;
        return ((top + 1) << shift) - 1;
    }
}
