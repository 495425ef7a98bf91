package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.collect.IntLongIndex;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code unique-seq}: within a chat one seq names one message, and one message gets one seq.
 * Seqs and messages meet in {@code ack} and {@code deliver} events; each (message, seq) pairing
 * that contradicts an earlier one counts once, however many devices repeat it.
 */
public final class UniqueSeq extends Invariant {

    public static final String NAME = "unique-seq";

    private final ViolationLog log = new ViolationLog(NAME);
    /** (message, seq) pairings already reported. */
    private final IntLongIndex reported = new IntLongIndex(16);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.ACK || kind == Kind.DELIVER;
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind != Kind.ACK && (step.kind != Kind.DELIVER || step.ownDelivery)) {
            return;
        }
        int owner = step.seqOwnerBefore;
        long earlierSeq = step.messageSeqBefore;
        boolean seqTaken = owner != -1 && owner != step.message;
        boolean secondSeq = earlierSeq != 0 && earlierSeq != step.seq;
        if (!seqTaken && !secondSeq) {
            return;
        }
        if (reported.get(step.message, step.seq) != IntLongIndex.MISSING) {
            return;
        }
        reported.putIfAbsent(step.message, step.seq, 1);
        if (!log.count()) {
            return;
        }
        String where = step.kind.wire() + " at line " + step.line;
        if (seqTaken) {
            log.example(new Example(
                    "seq " + step.seq + " of " + Describe.chat(facts, step.chat) + " names two messages: cmid "
                            + facts.messageCmid(owner) + " from " + facts.userName(facts.messageSender(owner))
                            + " (committed at line " + facts.messageCommitLine(owner) + ") and cmid "
                            + facts.messageCmid(step.message) + " from " + facts.userName(facts.messageSender(step.message))
                            + " (" + where + ")",
                    Describe.message(facts, step.message, step.seq), facts.deviceLabel(step.device), List.of(),
                    List.of(facts.messageCommitLine(owner), step.line)));
        } else {
            log.example(new Example(
                    "cmid " + facts.messageCmid(step.message) + " from " + facts.userName(facts.messageSender(step.message))
                            + " in " + Describe.chat(facts, step.chat) + " got two seqs: " + earlierSeq
                            + " (committed at line " + facts.messageCommitLine(step.message) + ") and " + step.seq
                            + " (" + where + ")",
                    Describe.message(facts, step.message, step.seq), facts.deviceLabel(step.device), List.of(),
                    List.of(facts.messageCommitLine(step.message), step.line)));
        }
    }

    @Override
    public void finish(HistoryFacts facts) {
        for (int m = 0; m < facts.messageCount(); m++) {
            if (facts.messageCommitLine(m) != 0) {
                log.judged();
            }
        }
    }

    @Override
    public InvariantResult result() {
        return log.result("no message was committed (no ack and no deliver)");
    }
}
