package dev.chatlab.stats;

import org.HdrHistogram.Histogram;

/**
 * What happened in one stretch of run time {@code [startMicros, endMicros)}: the latencies
 * recorded in it and its counts. Latencies are microseconds, counted in the interval where the
 * ack or delivery happened.
 *
 * @param openConnections sessions open at the end of the interval
 * @param openMin         the fewest sessions open at any moment of the interval (a dip that recovers within it shows here)
 * @param reconnects      connects by a device that had been connected before
 */
public record IntervalStats(long startMicros, long endMicros, Histogram sendToAck, Histogram sendToDeliver,
                            long connects, long disconnects, long reconnects, long openConnections, long openMin,
                            long sends, long acks, long delivers) {

    /** Seconds from the start of the run to the middle of the interval, for charts. */
    public double midSeconds() {
        return (startMicros + endMicros) / 2.0 / 1e6;
    }
}
