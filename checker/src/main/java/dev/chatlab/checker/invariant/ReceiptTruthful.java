package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongPairMap;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;

import java.util.List;

/**
 * {@code receipt-truthful}: a receipt that {@code by} delivered up to s comes after some device of
 * {@code by} delivered the message with seq s, or after {@code by} had s acked as its own
 * message; one that {@code by} read up to s comes after some device of {@code by} issued a read
 * at s or above. Counts once per lying receipt.
 */
public final class ReceiptTruthful extends Invariant {

    public static final String NAME = "receipt-truthful";

    private final ViolationLog log = new ViolationLog(NAME);
    /** Per (user, chat): the highest seq any of the user's devices has read, and the line. */
    private final LongPairMap highestRead = new LongPairMap(1024);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.READ || kind == Kind.RECEIPT;
    }

    @Override
    public boolean prefetches(Kind kind) {
        return kind == Kind.READ || kind == Kind.RECEIPT;
    }

    @Override
    public long prefetch(Step step, HistoryFacts facts) {
        if (step.kind == Kind.READ) {
            return highestRead.touch(LongIntMap.pack(step.user, step.chat));
        }
        if (step.receiptState == ReceiptState.READ) {
            return highestRead.touch(LongIntMap.pack(step.otherUser, step.chat));
        }
        return facts.prefetchDelivered(step.otherUser, step.chat, step.seq);
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind == Kind.READ) {
            long key = LongIntMap.pack(step.user, step.chat);
            if (step.seq > highestRead.first(key, 0)) {
                highestRead.put(key, step.seq, step.line);
            }
        } else if (step.kind == Kind.RECEIPT) {
            log.judged();
            ReceiptState state = step.receiptState;
            if (state == ReceiptState.READ) {
                judgeRead(step, facts);
            } else {
                judgeDelivered(step, facts);
            }
        }
    }

    private void judgeRead(Step step, HistoryFacts facts) {
        long key = LongIntMap.pack(step.otherUser, step.chat);
        long read = highestRead.first(key, 0);
        if (read >= step.seq || !log.count()) {
            return;
        }
        long readLine = highestRead.second(key, 0);
        String device = facts.deviceLabel(step.device);
        log.example(new Example(
                device + " was told at line " + step.line + " that " + facts.userName(step.otherUser) + " read "
                        + Describe.chat(facts, step.chat) + " up to seq " + step.seq + ", but "
                        + (read == 0 ? "no device of that user had read there" : "its devices had read only up to seq " + read
                                + " (line " + readLine + ")"),
                null, device, List.of(), List.of(readLine, step.line)));
    }

    private void judgeDelivered(Step step, HistoryFacts facts) {
        int by = step.otherUser;
        int owner = facts.seqOwner(step.chat, step.seq);
        if (owner != -1 && facts.messageSender(owner) == by && facts.messageAckLine(owner) != 0) {
            return;
        }
        IntList devices = facts.devicesOf(by);
        for (int i = 0; i < devices.size(); i++) {
            if (facts.delivered(devices.get(i), step.chat, step.seq)) {
                return;
            }
        }
        if (!log.count()) {
            return;
        }
        String device = facts.deviceLabel(step.device);
        log.example(new Example(
                device + " was told at line " + step.line + " that " + facts.userName(by) + " delivered "
                        + Describe.chat(facts, step.chat) + " up to seq " + step.seq
                        + ", but no device of that user had delivered seq " + step.seq + " nor had it acked as its own",
                owner == -1 ? null : Describe.message(facts, owner, step.seq), device, List.of(), List.of(step.line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no receipt events");
    }
}
