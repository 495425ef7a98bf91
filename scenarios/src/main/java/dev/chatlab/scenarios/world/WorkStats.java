package dev.chatlab.scenarios.world;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node's cores did over a run, across its incarnations: the work served, how long work
 * waited for a core (queue delay), how busy the cores were per second, and how many connection
 * attempts the accept backlog refused. The run's summary shows it per node.
 */
final class WorkStats {

    private static final long BUCKET_MICROS = 1_000_000;

    private final Histogram queueDelay = new Histogram(3_600_000_000L, 3);
    private final TimeSeries busy = new TimeSeries(BUCKET_MICROS);
    private long busyMicros;
    private long work;
    private long refused;

    void record(long waitedMicros, long serviceMicros, long doneMicros) {
        queueDelay.recordValue(Math.min(waitedMicros, queueDelay.getHighestTrackableValue()));
        busyMicros += serviceMicros;
        // Spread over the buckets the work ran in, so that a long piece of work does not read as one busy second.
        long start = doneMicros - serviceMicros;
        while (start < doneMicros) {
            long end = Math.min(doneMicros, (start / BUCKET_MICROS + 1) * BUCKET_MICROS);
            busy.add(start, end - start);
            start = end;
        }
        work++;
    }

    void refused() {
        refused++;
    }

    long refusedCount() {
        return refused;
    }

    long queueDelayPercentileMicros(double percentile) {
        return queueDelay.getValueAtPercentile(percentile);
    }

    /**
     * For the summary: work served, busy fraction over the run, queue delay p50/p99/max, refused
     * connection attempts, and the busy fraction of each second.
     */
    Map<String, Object> summary(int cores, long runMicros) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", cores);
        out.put("work", work);
        out.put("busy_fraction", fraction(busyMicros, (double) cores * runMicros));
        out.put("queue_delay_p50_us", queueDelay.getValueAtPercentile(50));
        out.put("queue_delay_p99_us", queueDelay.getValueAtPercentile(99));
        out.put("queue_delay_max_us", queueDelay.getMaxValue());
        out.put("refused_by_backlog", refused);
        List<Double> perSecond = new ArrayList<>();
        for (long b : busy.toList(runMicros)) {
            perSecond.add(fraction(b, (double) cores * BUCKET_MICROS));
        }
        out.put("busy_fraction_per_second", perSecond);
        return out;
    }

    private static double fraction(double part, double whole) {
        return whole <= 0 ? 0 : Math.round(Math.min(1, part / whole) * 1000) / 1000.0;
    }
}
