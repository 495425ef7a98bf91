package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code membership}: a device may deliver a message only if its user was a member of the chat
 * when the message was committed, or is a member at the moment of the delivery. Counts once per
 * offending deliver.
 */
public final class Membership extends Invariant {

    public static final String NAME = "membership";

    private final ViolationLog log = new ViolationLog(NAME);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.DELIVER;
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind != Kind.DELIVER || step.ownDelivery) {
            return;
        }
        log.judged();
        if (step.memberNow) {
            return;
        }
        long committed = step.commitsNow ? step.line : facts.messageCommitLine(step.message);
        if (!step.commitsNow && facts.wasMemberAt(step.user, step.chat, committed)) {
            return;
        }
        if (!log.count()) {
            return;
        }
        log.example(new Example(
                facts.deviceLabel(step.device) + " delivered " + Describe.seqAndCmid(facts, step.message, step.seq) + " of "
                        + Describe.chat(facts, step.chat) + " at line " + step.line + ", but " + facts.userName(step.user)
                        + " was not a member when it was committed (line " + committed + ") nor at the delivery",
                Describe.message(facts, step.message, step.seq), facts.deviceLabel(step.device), List.of(),
                List.of(committed, step.line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no deliver events");
    }
}
