package dev.chatlab.reference.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The slowest delivery per 100 ms of scheduled send time in a round, so that a bad p99 can be put
 * next to what happened at that moment (a GC pause in a log, a checkpoint of the store): the round's
 * worst windows are printed with their wall-clock time. Not thread-safe: the caller records under
 * the lock it holds for the histogram.
 */
final class WorstWindows {

    static final long WINDOW_NANOS = 100_000_000L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final long startNanos;
    private final long startEpochMillis;
    private final long[] worstMicros;

    WorstWindows(long startNanos, long startEpochMillis, long seconds) {
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        this.worstMicros = new long[(int) (seconds * 1_000_000_000L / WINDOW_NANOS) + 1];
    }

    void record(long scheduledNanos, long micros) {
        long window = Math.floorDiv(scheduledNanos - startNanos, WINDOW_NANOS);
        if (window >= 0 && window < worstMicros.length && micros > worstMicros[(int) window]) {
            worstMicros[(int) window] = micros;
        }
    }

    /** The {@code n} windows with the slowest deliveries above {@code floorMicros}, slowest first, as text. */
    List<String> worst(int n, long floorMicros) {
        List<Integer> order = new ArrayList<>();
        for (int w = 0; w < worstMicros.length; w++) {
            if (worstMicros[w] > floorMicros) {
                order.add(w);
            }
        }
        order.sort((a, b) -> Long.compare(worstMicros[b], worstMicros[a]));
        List<String> lines = new ArrayList<>();
        for (int w : order.subList(0, Math.min(n, order.size()))) {
            long offsetMillis = w * (WINDOW_NANOS / 1_000_000);
            lines.add(String.format(Locale.ROOT, "%s UTC (+%.1f s): %.1f ms", CLOCK.format(Instant.ofEpochMilli(startEpochMillis + offsetMillis)),
                    offsetMillis / 1000.0, worstMicros[w] / 1000.0));
        }
        return lines;
    }
}
