package dev.chatlab.scenarios;

import dev.chatlab.checker.invariant.NoLostAck;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches a run settle after its quiesce: whether every device live after the quiesce has every
 * message it is owed and no device is still trying to send one, and since when. It only observes the history (what the checker would say of
 * it so far); it never makes a device do anything. A run ends when it has converged, not at a
 * fixed time, so that a backlog under overload is not reported as a loss; one that has not
 * converged by {@code quiesce + within} stops there, and the checker names what is missing.
 *
 * Both engines use it: the simulator with the checker's backlog of the history so far, a real
 * run with what its fleet's devices have (their frontier).
 *
 * <pre>{@code
 * Convergence c = new Convergence(quiesceAt, within);
 * c.observe(now, checker.backlog());     // after each slice past the quiesce
 * if (c.settled()) ...                   // may stop once the duration is over
 * Map<String, Object> summary = c.summary(end);
 * }</pre>
 */
public final class Convergence {

    private long quiesceMicros;
    private final long withinMicros;
    private NoLostAck.Backlog backlog = new NoLostAck.Backlog(0, 0, 0);
    private boolean observed;
    /** The first observation of the current settled stretch, or -1 while unsettled. */
    private long settledSinceMicros = -1;
    private long peakObligations;
    private int peakPendingSends;
    private int pendingSends;

    public Convergence(long quiesceMicros, long withinMicros) {
        this.quiesceMicros = quiesceMicros;
        this.withinMicros = withinMicros;
    }

    /** Whether the run has been looked at since its quiesce. */
    public boolean observed() {
        return observed;
    }

    /** The quiesce came at another time than planned (a real run's, delayed by a slow fault). */
    public void quiescedAt(long micros) {
        quiesceMicros = micros;
    }

    /** {@code pendingSends}: messages devices are still trying to send (a send not yet answered may still commit). */
    public void observe(long nowMicros, NoLostAck.Backlog now, int pendingSends) {
        observed = true;
        backlog = now;
        this.pendingSends = pendingSends;
        peakObligations = Math.max(peakObligations, now.obligations());
        peakPendingSends = Math.max(peakPendingSends, pendingSends);
        if (!now.settled() || pendingSends > 0) {
            settledSinceMicros = -1;
        } else if (settledSinceMicros < 0) {
            settledSinceMicros = nowMicros;
        }
    }

    /** True once observed and nothing is owed (a run that is never observed past its quiesce is not settled). */
    public boolean settled() {
        return observed && backlog.settled() && pendingSends == 0;
    }

    public NoLostAck.Backlog backlog() {
        return backlog;
    }

    public long quiesceMicros() {
        return quiesceMicros;
    }

    /** Sends still unanswered at the last observation. */
    public int pendingSends() {
        return pendingSends;
    }

    public long deadlineMicros() {
        return quiesceMicros + withinMicros;
    }

    /** Microseconds from the quiesce until the backlog was last empty for good, or -1 if it never was. */
    public long timeToConvergeMicros() {
        return settled() ? settledSinceMicros - quiesceMicros : -1;
    }

    /** One line for the console: how long it took, or what was still owed. */
    public String describe() {
        if (settled()) {
            // A real run's clock is in microseconds: milliseconds are precise enough to read.
            return "converged " + Durations.format(Math.round(timeToConvergeMicros() / 1000.0) * 1000) + " after the quiesce (bound "
                    + Durations.format(withinMicros) + ")";
        }
        return "did not converge within " + Durations.format(withinMicros) + " of the quiesce: " + backlog.messages()
                + " message" + (backlog.messages() == 1 ? "" : "s") + " owed to " + backlog.devices() + " device"
                + (backlog.devices() == 1 ? "" : "s") + " (" + backlog.obligations() + " deliveries missing), "
                + pendingSends + " send" + (pendingSends == 1 ? "" : "s") + " still unanswered";
    }

    /** The summary's {@code convergence} section. */
    public Map<String, Object> summary(long endMicros) {
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
        out.put("peak_sends_unanswered", peakPendingSends);
        out.put("line", describe());
        return out;
    }
}
