package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongList;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code sender-fifo}: for one sending device, if the ack of m1 comes before the first send of m2
 * in the same chat, then seq(m1) &lt; seq(m2). At m2's first send it records the highest seq the
 * device has had acked in that chat (the floor); m2's seq is judged against it at m2's first ack,
 * or at the end of the history from its first deliver if it never got an ack. Counts once per m2.
 */
public final class SenderFifo extends Invariant {

    public static final String NAME = "sender-fifo";

    private final ViolationLog log = new ViolationLog(NAME);

    /** Per (device, chat): the highest acked seq, the line of that ack and its message. */
    private final LongIntMap rows = new LongIntMap(1024);
    private final LongList ackedSeq = new LongList(1024);
    private final LongList ackedLine = new LongList(1024);
    private final IntList ackedMessage = new IntList(1024);

    /** Per message: the floor its seq must exceed (0 for none), the ack line and message behind it. */
    private final LongList floorSeq = new LongList(1024);
    private final LongList floorLine = new LongList(1024);
    private final IntList floorMessage = new IntList(1024);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.SEND || kind == Kind.ACK;
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind == Kind.SEND && step.firstSend) {
            int row = rows.get(LongIntMap.pack(step.device, step.chat));
            if (row != LongIntMap.MISSING) {
                floorSeq.setAt(step.message, ackedSeq.get(row), 0);
                floorLine.setAt(step.message, ackedLine.get(row), 0);
                floorMessage.setAt(step.message, ackedMessage.get(row), -1);
            }
        } else if (step.kind == Kind.ACK) {
            if (facts.messageAckLine(step.message) == 0) {
                judge(step.message, step.seq, step.line, facts);
            }
            long key = LongIntMap.pack(step.device, step.chat);
            int row = rows.get(key);
            if (row == LongIntMap.MISSING) {
                row = ackedSeq.size();
                rows.put(key, row);
                ackedSeq.add(0);
                ackedLine.add(0);
                ackedMessage.add(-1);
            }
            if (step.seq > ackedSeq.get(row)) {
                ackedSeq.set(row, step.seq);
                ackedLine.set(row, step.line);
                ackedMessage.set(row, step.message);
            }
        }
    }

    @Override
    public void finish(HistoryFacts facts) {
        // Messages never acked take their seq from their first deliver.
        for (int m = 0; m < floorSeq.size(); m++) {
            if (floorSeq.get(m) != 0 && facts.messageAckLine(m) == 0 && facts.messageSeq(m) != 0) {
                judge(m, facts.messageSeq(m), facts.messageCommitLine(m), facts);
            }
        }
    }

    private void judge(int message, long seq, long line, HistoryFacts facts) {
        long floor = floorSeq.getOr(message, 0);
        if (floor == 0) {
            return;
        }
        log.judged();
        if (seq > floor || !log.count()) {
            return;
        }
        int earlier = floorMessage.get(message);
        int device = facts.messageSenderDevice(message);
        long sent = facts.messageSendLine(message);
        log.example(new Example(
                facts.deviceLabel(device) + " had cmid " + facts.messageCmid(earlier) + " acked with seq " + floor
                        + " (line " + floorLine.get(message) + ") before it first sent cmid " + facts.messageCmid(message)
                        + " (line " + sent + "), but that message got seq " + seq + " (line " + line + ") in "
                        + Describe.chat(facts, facts.messageChat(message)),
                Describe.message(facts, message, seq), facts.deviceLabel(device), List.of(),
                List.of(floorLine.get(message), sent, line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no device sent a message in a chat after one of its earlier messages there was acknowledged");
    }
}
