package dev.chatlab.checker;

/**
 * How stale presence was: for each {@code presence} event, the time since the true state of the
 * user it is about (online while at least one of that user's devices has a session, from
 * {@code connect} and {@code disconnect}) last changed. All times in microseconds; percentiles are
 * within 1.6 % of the true value.
 *
 * @param count       presence events measured
 * @param p50         median staleness
 * @param p90         90th percentile
 * @param p99         99th percentile
 * @param max         largest staleness
 * @param disagreeing presence events whose state differed from the true state at that moment
 * @param unknown     presence events about a user with no connect or disconnect yet (not measured)
 */
public record Staleness(long count, long p50, long p90, long p99, long max, long disagreeing, long unknown) {

    public static final Staleness NONE = new Staleness(0, 0, 0, 0, 0, 0, 0);
}
