package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongPairMap;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;

import java.util.List;

/**
 * {@code receipt-monotone}: for one observing device, the watermark of (chat, by, state) never
 * decreases; delivered and read are separate watermarks, and a repeat of the same watermark is
 * fine. Counts once per receipt that goes below the watermark.
 */
public final class ReceiptMonotone extends Invariant {

    public static final String NAME = "receipt-monotone";

    private final ViolationLog log = new ViolationLog(NAME);
    /** Keyed by ((device, chat), by and state): the highest watermark seen and the line that set it. */
    private final LongPairMap watermarks = new LongPairMap(1024);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.RECEIPT;
    }

    @Override
    public boolean prefetches(Kind kind) {
        return kind == Kind.RECEIPT;
    }

    @Override
    public long prefetch(Step step, HistoryFacts facts) {
        int row = step.rowHint;
        return row < 0 ? 0 : watermarks.touch(LongIntMap.pack(row, (step.otherUser << 1) | step.receiptState.ordinal()));
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind != Kind.RECEIPT) {
            return;
        }
        log.judged();
        ReceiptState state = step.receiptState;
        long key = LongIntMap.pack(step.deviceChat, (step.otherUser << 1) | state.ordinal());
        long before = watermarks.first(key, 0);
        if (step.seq >= before) {
            if (step.seq > before) {
                watermarks.put(key, step.seq, step.line);
            }
            return;
        }
        if (!log.count()) {
            return;
        }
        long beforeLine = watermarks.second(key, 0);
        String device = facts.deviceLabel(step.device);
        log.example(new Example(
                device + " was told that " + facts.userName(step.otherUser) + " " + state.wire() + " "
                        + Describe.chat(facts, step.chat) + " up to seq " + step.seq + " at line " + step.line
                        + ", after up to seq " + before + " at line " + beforeLine,
                null, device, List.of(), List.of(beforeLine, step.line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no receipt events");
    }
}
