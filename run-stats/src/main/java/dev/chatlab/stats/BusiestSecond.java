package dev.chatlab.stats;

/**
 * The most events in any one second of a run, wherever that second falls: a herd of 2,000
 * reconnections in 0.5 s reads 2,000, where whole-second buckets read anything from 1,000 to 2,000
 * depending on where a bucket's edge cuts it. The first second (the logins of a run that starts them
 * all at once) is left out, as it is from the buckets. Events come in time order. The simulator's
 * full level and real runs count connects with it ({@link RunRecorder}), and so does the coarse level.
 *
 * <pre>{@code
 * BusiestSecond connects = new BusiestSecond();
 * connects.record(tMicros);   // per connect
 * connects.peak();            // counts.peak_connects_1s
 * }</pre>
 */
public final class BusiestSecond {

    private static final long WINDOW_MICROS = 1_000_000;

    /** The times of the last second's events, oldest at {@code head}: a ring that grows as needed. */
    private long[] times = new long[64];
    private int head;
    private int size;
    private long peak;

    /** One event at {@code tMicros}, no earlier than the last. */
    public void record(long tMicros) {
        if (tMicros < WINDOW_MICROS) {
            return;
        }
        while (size > 0 && times[head] <= tMicros - WINDOW_MICROS) {
            head = (head + 1) % times.length;
            size--;
        }
        if (size == times.length) {
            long[] grown = new long[times.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = times[(head + i) % times.length];
            }
            times = grown;
            head = 0;
        }
        times[(head + size) % times.length] = tMicros;
        size++;
        peak = Math.max(peak, size);
    }

    /** The most events seen within one second so far. */
    public long peak() {
        return peak;
    }
}
