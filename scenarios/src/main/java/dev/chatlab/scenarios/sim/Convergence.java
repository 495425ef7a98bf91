package dev.chatlab.scenarios.sim;

import dev.chatlab.checker.invariant.NoLostAck;
import dev.chatlab.scenarios.Durations;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches a run settle after its quiesce: whether every device live after the quiesce has every
 * message it is owed and no device is still trying to send one, and since when. It only observes the history (what the checker would say of
 * it so far); it never makes a device do anything. A run ends when it has converged, not at a
 * fixed time, so that a backlog under overload is not reported as a loss; one that has not
 * converged by {@code quiesce + within} stops there, and the checker names what is missing.
 *
 * <pre>{@code
 * Convergence c = new Convergence(quiesceAt, within);
 * c.observe(now, checker.backlog());     // after each slice past the quiesce
 * if (c.settled()) ...                   // may stop once the duration is over
 * Map<String, Object> summary = c.summary(end);
 * }</pre>
 */
final class Convergence {

    private final long quiesceMicros;
    private final long withinMicros;
    private NoLostAck.Backlog backlog = new NoLostAck.Backlog(0, 0, 0);
    private boolean observed;
    /** The first observation of the current settled stretch, or -1 while unsettled. */
    private long settledSinceMicros = -1;
    private long peakObligations;
    private int pendingSends;

    Convergence(long quiesceMicros, long withinMicros) {
        this.quiesceMicros = quiesceMicros;
        this.withinMicros = withinMicros;
    }

    /** {@code pendingSends}: messages devices are still trying to send (a send not yet answered may still commit). */
    void observe(long nowMicros, NoLostAck.Backlog now, int pendingSends) {
        observed = true;
        backlog = now;
        this.pendingSends = pendingSends;
        peakObligations = Math.max(peakObligations, now.obligations());
        if (!now.settled() || pendingSends > 0) {
            settledSinceMicros = -1;
        } else if (settledSinceMicros < 0) {
            settledSinceMicros = nowMicros;
        }
    }

    /** True once observed and nothing is owed (a run that is never observed past its quiesce is not settled). */
    boolean settled() {
        return observed && backlog.settled() && pendingSends == 0;
    }

    NoLostAck.Backlog backlog() {
        return backlog;
    }

    long deadlineMicros() {
        return quiesceMicros + withinMicros;
    }

    /** Microseconds from the quiesce until the backlog was last empty for good, or -1 if it never was. */
    long timeToConvergeMicros() {
        return settled() ? settledSinceMicros - quiesceMicros : -1;
    }

    /** One line for the console: how long it took, or what was still owed. */
    String describe() {
        if (settled()) {
            return "converged " + Durations.format(timeToConvergeMicros()) + " after the quiesce (bound "
                    + Durations.format(withinMicros) + ")";
        }
        return "did not converge within " + Durations.format(withinMicros) + " of the quiesce: " + backlog.messages()
                + " message" + (backlog.messages() == 1 ? "" : "s") + " owed to " + backlog.devices() + " device"
                + (backlog.devices() == 1 ? "" : "s") + " (" + backlog.obligations() + " deliveries missing), "
                + pendingSends + " send" + (pendingSends == 1 ? "" : "s") + " still unanswered";
    }

    /** The summary's {@code convergence} section. */
    Map<String, Object> summary(long endMicros) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("converged", settled());
        out.put("time_to_converge_us", timeToConvergeMicros());
        out.put("within_us", withinMicros);
        out.put("ended_at_us", endMicros);
        Map<String, Object> owed = new LinkedHashMap<>();
        owed.put("messages", backlog.messages());
        owed.put("devices", backlog.devices());
        owed.put("deliveries", backlog.obligations());
        out.put("owed_at_end", owed);
        out.put("sends_unanswered_at_end", pendingSends);
        out.put("peak_owed_deliveries", peakObligations);
        out.put("line", describe());
        return out;
    }
}
