package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code no-phantom}: every delivered message was sent earlier in the file (same chat, same
 * cmid, by a device of {@code from}), and no failed message is ever delivered, whether the
 * {@code fail} comes before the delivery (each such deliver counts) or after it (counts once).
 */
public final class NoPhantom extends Invariant {

    public static final String NAME = "no-phantom";

    private final ViolationLog log = new ViolationLog(NAME);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.DELIVER || kind == Kind.FAIL;
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind == Kind.DELIVER && !step.ownDelivery) {
            log.judged();
            observeDeliver(step, facts);
        } else if (step.kind == Kind.FAIL) {
            long delivered = facts.messageFirstDeliverLine(step.message);
            if (delivered != 0 && facts.messageFailLine(step.message) == 0 && log.count()) {
                log.example(new Example(
                        "cmid " + facts.messageCmid(step.message) + " from " + facts.userName(step.user) + " in "
                                + Describe.chat(facts, step.chat) + " failed at line " + step.line
                                + " but was delivered at line " + delivered,
                        Describe.message(facts, step.message), facts.deviceLabel(step.device), List.of(),
                        List.of(delivered, step.line)));
            }
        }
    }

    private void observeDeliver(Step step, HistoryFacts facts) {
        long sent = facts.messageSendLine(step.message);
        long failed = facts.messageFailLine(step.message);
        if (sent != 0 && failed == 0) {
            return;
        }
        if (!log.count()) {
            return;
        }
        String what = facts.deviceLabel(step.device) + " delivered " + Describe.seqAndCmid(facts, step.message, step.seq)
                + " of " + Describe.chat(facts, step.chat) + " at line " + step.line;
        String why = sent == 0
                ? ", but no device of " + facts.userName(step.otherUser) + " sent that cmid to that chat before"
                : ", but the message failed at line " + failed;
        log.example(new Example(what + why, Describe.message(facts, step.message, step.seq),
                facts.deviceLabel(step.device), List.of(), List.of(sent, failed, step.line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no deliver events");
    }
}
