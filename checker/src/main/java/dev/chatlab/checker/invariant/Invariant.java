package dev.chatlab.checker.invariant;

import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

/**
 * One rule of the history format, judged while the history streams by. Invariants compose: the
 * checker hands every event to each in turn, and a new rule is one more class.
 *
 * <pre>{@code
 * Invariant order = new PerDeviceOrder();
 * Step step = facts.resolve(event, line);
 * order.observe(step, facts);   // before the facts absorb the event
 * facts.absorb(step);
 * ...
 * order.finish(facts);
 * InvariantResult result = order.result();
 * }</pre>
 *
 * <p>A class rather than an interface: the checker calls {@link #observe} for every event from
 * one place that sees all the invariants, where a virtual call costs less than an interface call.
 */
public abstract class Invariant {

    /** The stable name reports use, e.g. {@code per-device-order}. */
    public abstract String name();

    /**
     * True when {@link #observe} can do anything with events of this kind: the checker hands each
     * event only to the invariants that want its kind.
     */
    public boolean observes(Kind kind) {
        return true;
    }

    /**
     * True when {@link #prefetch} does something for events of this kind: the checker asks only
     * those invariants to prefetch.
     */
    public boolean prefetches(Kind kind) {
        return false;
    }

    /**
     * Reads, and nothing else, where {@link #observe} will look for this event's state, so that
     * the cache misses of a batch of events overlap (see {@link
     * dev.chatlab.checker.HistoryChecker#acceptValidated(dev.chatlab.history.io.EventView[], int, long)}).
     * The step has its ids but is not resolved yet: the facts still describe the history before
     * an earlier event of the batch. Returns what it read, for the caller to keep.
     */
    public long prefetch(Step step, HistoryFacts facts) {
        return 0;
    }

    /** Judges one event; {@code facts} still describe the history just before it. */
    public abstract void observe(Step step, HistoryFacts facts);

    /** Called once after the last event, for rules about the end state. */
    public void finish(HistoryFacts facts) {
    }

    public abstract InvariantResult result();
}
