package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.List;

/**
 * {@code read-after-deliver}: a {@code read} up to seq s on a device comes after that device
 * delivered the message with seq s, or after its own ack of s. Counts once per offending read.
 */
public final class ReadAfterDeliver extends Invariant {

    public static final String NAME = "read-after-deliver";

    private final ViolationLog log = new ViolationLog(NAME);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return kind == Kind.READ;
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        if (step.kind != Kind.READ) {
            return;
        }
        log.judged();
        if (facts.delivered(step.device, step.chat, step.seq)) {
            return;
        }
        int owner = facts.seqOwner(step.chat, step.seq);
        if (owner != -1 && facts.messageSenderDevice(owner) == step.device && facts.messageAckLine(owner) != 0) {
            return;
        }
        if (!log.count()) {
            return;
        }
        long last = facts.maxDelivered(step.device, step.chat);
        long lastLine = facts.maxDeliveredLine(step.device, step.chat);
        String device = facts.deviceLabel(step.device);
        log.example(new Example(
                device + " read " + Describe.chat(facts, step.chat) + " up to seq " + step.seq + " at line " + step.line
                        + " but had neither delivered seq " + step.seq + " nor had it acked as its own"
                        + (last == 0 ? " (it had delivered nothing there)" : " (last delivered: seq " + last + " at line " + lastLine + ")"),
                owner == -1 ? null : Describe.message(facts, owner, step.seq), device, List.of(),
                List.of(lastLine, step.line)));
    }

    @Override
    public InvariantResult result() {
        return log.result("no read events");
    }
}
