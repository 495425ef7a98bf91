package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code no-hole}: a device that delivers seq s has already delivered every smaller-seq message
 * of the chat that was committed before and that it is owed (committed since its user's current
 * join, not sent by the device itself). The facts find the skipped messages; each (device,
 * skipped message) pair counts once, at the first delivery that proves it.
 */
public final class NoHole extends Invariant {

    public static final String NAME = "no-hole";

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
        if (step.holes.isEmpty()) {
            return;
        }
        for (int i = 0; i < step.holes.size(); i++) {
            int skipped = step.holes.get(i);
            if (!log.count()) {
                continue;
            }
            long committed = facts.messageCommitLine(skipped);
            log.example(new Example(
                    facts.deviceLabel(step.device) + " delivered seq " + step.seq + " of " + Describe.chat(facts, step.chat)
                            + " at line " + step.line + " without " + Describe.seqAndCmid(facts, skipped, facts.messageSeq(skipped))
                            + ", committed at line " + committed + " and owed since the user joined at line "
                            + facts.joinLine(step.membership),
                    Describe.message(facts, skipped), facts.deviceLabel(step.device), List.of(),
                    List.of(committed, step.line)));
        }
    }

    @Override
    public InvariantResult result() {
        return log.result("no deliver events");
    }
}
