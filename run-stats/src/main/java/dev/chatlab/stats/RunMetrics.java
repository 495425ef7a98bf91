package dev.chatlab.stats;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * The measurements of a whole run, from its history: whole-run latency histograms (microseconds),
 * one {@link IntervalStats} per interval of run time, and counts. Built by {@link RunRecorder}.
 *
 * @param presenceStaleness for each {@code presence} event, how long ago the true state of the user
 *                          it is about last changed; empty when the history has no presence
 */
public record RunMetrics(long intervalMicros, Histogram sendToAck, Histogram sendToDeliver,
                         Histogram presenceStaleness, List<IntervalStats> intervals, Map<String, Long> counts) {

    public RunMetrics {
        intervals = List.copyOf(intervals);
        counts = Map.copyOf(counts);
    }

    /** A count by name ({@code sends}, {@code acks}, {@code reconnects}, ...), 0 if absent. */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }
}
