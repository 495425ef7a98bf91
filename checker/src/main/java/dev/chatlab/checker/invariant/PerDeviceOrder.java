package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code per-device-order}: each device delivers a chat's messages in strictly increasing seq.
 * A delivery at or below the device's highest delivered seq counts once (a repeat of that very
 * seq is reported as a duplicate).
 */
public final class PerDeviceOrder extends Invariant {

    public static final String NAME = "per-device-order";

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
        long before = step.maxDeliveredBefore;
        if (before == 0 || step.seq > before || !log.count()) {
            return;
        }
        String device = facts.deviceLabel(step.device);
        String detail = step.seq == before
                ? device + " delivered seq " + step.seq + " of " + Describe.chat(facts, step.chat) + " twice (lines "
                        + step.maxDeliveredLine + " and " + step.line + ")"
                : device + " delivered seq " + step.seq + " of " + Describe.chat(facts, step.chat) + " at line " + step.line
                        + " after seq " + before + " (line " + step.maxDeliveredLine + ")";
        log.example(new Example(detail, Describe.message(facts, step.message, step.seq), device, List.of(),
                List.of(step.maxDeliveredLine, step.line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no deliver events");
    }
}
