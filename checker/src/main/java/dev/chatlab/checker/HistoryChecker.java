package dev.chatlab.checker;

import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;
import dev.chatlab.checker.invariant.Invariant;
import dev.chatlab.checker.invariant.Invariants;
import dev.chatlab.checker.invariant.NoLostAck;
import dev.chatlab.checker.invariant.PresenceStaleness;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.history.io.EventView;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The online checker: judges a history as it happens, one event at a time, in memory that grows
 * with live state (users, devices, chats, memberships, messages) rather than with the number of
 * events. Plug it wherever a {@link dev.chatlab.core.history.HistoryWriter} goes.
 *
 * <pre>{@code
 * HistoryChecker checker = new HistoryChecker();
 * HistorySink sink = HistorySink.all(writer, checker);   // record and judge at once
 * simulation.run(sink);
 * Verdict verdict = checker.finish();
 * }</pre>
 *
 * <p>Online, each event is validated like a line of a file (ids non-empty, seq positive, t never
 * going backwards) and is numbered by its 1-based ordinal, which verdicts call its line. The first
 * invalid event turns the verdict into an input error and later events are ignored. Not
 * thread-safe: call it from one thread, or serialise the calls.
 */
public final class HistoryChecker implements HistorySink {

    /**
     * Events per batch worth reading at once: enough that a batch's cache misses keep the memory
     * busy, few enough that what a batch touches stays in the cache until it is judged.
     */
    public static final int BATCH = 16;

    private final HistoryFacts facts = new HistoryFacts();
    private final Invariant[] invariants;
    /** Per {@link Kind} (by ordinal): the invariants that observe events of that kind, in order. */
    private final Invariant[][] invariantsByKind;
    /** Per {@link Kind}: the invariants that prefetch for events of that kind. */
    private final Invariant[][] prefetchersByKind;
    private final PresenceStaleness staleness = new PresenceStaleness();
    private final EventValidator validator = new EventValidator();
    /** A record handed in is judged as a view, the way a file's lines are. */
    private final EventView view = new EventView();
    /** Refuse an event of a type the format does not know, instead of skipping it. */
    private final boolean strict;
    /** Events of unknown types, skipped, by type name. */
    private final TreeMap<String, Long> skippedTypes = new TreeMap<>();
    /** Every event handed in, blank lines not being events. */
    private long events;
    private long ordinal;
    private InputError error;
    private Verdict verdict;
    /** The steps of a batch (see {@link #acceptValidated(EventView[], int, long)}). */
    private Step[] batch = new Step[0];
    /** What prefetching read, kept so that the reads are not optimised away. */
    private long prefetched;

    /** A checker for every invariant of the history format. */
    public HistoryChecker() {
        this(false);
    }

    /**
     * A checker for every invariant; when {@code strict}, an event of a type the format does not
     * know is an input error rather than skipped (for CI gates that must not pass on a misspelling).
     */
    public HistoryChecker(boolean strict) {
        this(Invariants.all(), strict);
    }

    /** A checker for the given invariants only (each instance used by one checker). */
    public HistoryChecker(List<Invariant> invariants) {
        this(invariants, false);
    }

    private HistoryChecker(List<Invariant> invariants, boolean strict) {
        this.strict = strict;
        this.invariants = invariants.toArray(new Invariant[0]);
        this.invariantsByKind = new Invariant[Kind.values().length][];
        this.prefetchersByKind = new Invariant[Kind.values().length][];
        for (Kind kind : Kind.values()) {
            invariantsByKind[kind.ordinal()] = invariants.stream().filter(i -> i.observes(kind)).toArray(Invariant[]::new);
            prefetchersByKind[kind.ordinal()] = invariants.stream().filter(i -> i.prefetches(kind)).toArray(Invariant[]::new);
        }
    }

    /** Validates and judges the next event; its line is its 1-based ordinal. */
    @Override
    public void accept(HistoryEvent event) {
        ordinal++;
        if (error != null) {
            return;
        }
        String reason = validator.check(event);
        if (reason != null) {
            error = new InputError(ordinal, reason);
            return;
        }
        EventView set = view.set(event);
        events++;
        if (skipUnknown(set, ordinal)) {
            return;
        }
        judgeNow(set, ordinal);
    }

    /**
     * Counts an event of an unknown type by its name and tells the caller to skip it; under
     * {@code strict} it is an input error instead. Its {@code t} has already counted for order.
     */
    private boolean skipUnknown(EventView event, long line) {
        if (event.type() != EventView.Type.UNKNOWN) {
            return false;
        }
        if (strict && error == null) {
            error = new InputError(line, "unknown type '" + event.unknownType()
                    + "' (--strict refuses types the history format does not define)");
        }
        skippedTypes.merge(event.unknownType(), 1L, Long::sum);
        return true;
    }

    /**
     * Judges a batch of events as {@link dev.chatlab.history.io.HistoryReader#nextViews} hands
     * them out: {@code events[0, count)}, validated, on consecutive lines ending at {@code lastLine}.
     * Each phase of finding the facts runs over the whole batch before the next phase starts, so
     * that the cache misses of all its events overlap (a history of many users is judged at the
     * speed of memory, not of the processor), and only then are the events judged in order. The
     * verdict is the same as one event at a time.
     */
    public void acceptValidated(EventView[] events, int count, long lastLine) {
        if (verdict != null) {
            throw new IllegalStateException("the checker has finished");
        }
        if (batch.length < count) {
            Step[] grown = java.util.Arrays.copyOf(batch, count);
            for (int k = batch.length; k < count; k++) {
                grown[k] = new Step();
            }
            batch = grown;
        }
        Step[] steps = batch;
        long firstLine = lastLine - count + 1;
        for (int k = 0; k < count; k++) {
            // Unknown types are rare: count them here, and the facts intern them as they always have.
            if (events[k].type() == EventView.Type.UNKNOWN) {
                skipUnknown(events[k], firstLine + k);
            }
        }
        this.events += count;
        long read = facts.prefetchIds(events, count);
        for (int k = 0; k < count; k++) {
            facts.internIds(events[k], firstLine + k, steps[k], k);
        }
        read += facts.prefetchMessages(events, steps, count);
        for (int k = 0; k < count; k++) {
            facts.internMessage(events[k], steps[k], k);
        }
        read += facts.prefetchRows(steps, count);
        read += facts.prefetchDetails(steps, count);
        for (int k = 0; k < count; k++) {
            Step step = steps[k];
            for (Invariant invariant : prefetchersByKind[step.kind.ordinal()]) {
                read += invariant.prefetch(step, facts);
            }
        }
        for (int k = 0; k < count; k++) {
            judge(steps[k]);
        }
        prefetched += read;
    }

    private void judgeNow(EventView event, long line) {
        if (verdict != null) {
            throw new IllegalStateException("the checker has finished");
        }
        judge(facts.intern(event, line));
    }

    private void judge(Step step) {
        facts.resolve(step);
        for (Invariant invariant : invariantsByKind[step.kind.ordinal()]) {
            invariant.observe(step, facts);
        }
        if (step.kind == Kind.PRESENCE) {
            staleness.observe(step, facts);
        }
        facts.absorb(step);
    }

    /**
     * What the devices live after the quiesce are still owed, as of the last event handed in (see
     * {@link NoLostAck#backlog}): a run that waits for convergence asks this instead of stopping at
     * a fixed time. It reads, and judges nothing. Costs a pass over every (device, chat) membership.
     */
    public NoLostAck.Backlog backlog() {
        return NoLostAck.backlog(facts);
    }

    /** Ends the history and returns the verdict; later calls return the same verdict. */
    public Verdict finish() {
        if (verdict != null) {
            return verdict;
        }
        if (error == null && events == 0) {
            error = new InputError(0, "the history has no event (an empty file, or only blank lines)");
        }
        if (error != null) {
            verdict = Verdict.inputError(error.line(), error.reason());
            return verdict;
        }
        List<InvariantResult> results = new ArrayList<>(invariants.length);
        for (Invariant invariant : invariants) {
            invariant.finish(facts);
            results.add(invariant.result());
        }
        verdict = new Verdict(events, skippedTypes, results, staleness.result(), null);
        return verdict;
    }
}
