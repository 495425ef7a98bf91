package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Staleness;
import dev.chatlab.checker.collect.LogHistogram;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;
import dev.chatlab.core.history.HistoryEvent.PresenceState;

/**
 * Not an invariant but a measure: for each {@code presence} event, how long ago the true state of
 * the user it is about last changed (online while at least one of that user's devices has an open
 * session). Constant memory: a log-bucket histogram.
 *
 * <pre>{@code
 * PresenceStaleness meter = new PresenceStaleness();
 * meter.observe(step, facts);
 * Staleness summary = meter.result();
 * }</pre>
 */
public final class PresenceStaleness {

    private final LogHistogram micros = new LogHistogram();
    private long disagreeing;
    private long unknown;

    public void observe(Step step, HistoryFacts facts) {
        if (step.kind != Kind.PRESENCE) {
            return;
        }
        int about = step.otherUser;
        boolean online = facts.userOnline(about);
        PresenceState told = step.presenceState;
        if ((told == PresenceState.ONLINE) != online) {
            disagreeing++;
        }
        long changed = facts.userStateChangedT(about);
        if (changed < 0) {
            unknown++;
        } else {
            micros.record(step.t - changed);
        }
    }

    public Staleness result() {
        return new Staleness(micros.count(), micros.percentile(50), micros.percentile(90), micros.percentile(99),
                micros.max(), disagreeing, unknown);
    }
}
