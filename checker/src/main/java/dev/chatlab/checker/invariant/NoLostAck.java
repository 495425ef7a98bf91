package dev.chatlab.checker.invariant;

import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.facts.HistoryFacts;
import dev.chatlab.checker.facts.Kind;
import dev.chatlab.checker.facts.Step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * {@code no-lost-ack}: after the first {@code quiesce}, every committed message reaches, by the
 * end of the file, every owed device that connects after the quiesce (owed: its user was a member
 * when the message was committed and has not been removed since; the sending device excepted).
 * Judged once, at the end, from what the facts say each device is still missing; counts one
 * violation per message, listing the devices it is missing on. Without a quiesce the invariant
 * does not apply.
 */
public final class NoLostAck extends Invariant {

    public static final String NAME = "no-lost-ack";

    private final ViolationLog log = new ViolationLog(NAME);
    private boolean applicable;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean observes(Kind kind) {
        return false;
    }

    @Override
    public void observe(Step step, HistoryFacts facts) {
        // Everything this rule needs is in the facts at the end.
    }

    @Override
    public void finish(HistoryFacts facts) {
        if (facts.quiesceLine() == 0) {
            return;
        }
        applicable = true;
        BitSet lost = new BitSet();
        IntList missing = new IntList();
        forEachOwedDevice(facts, (device, membership) -> {
            missing.clear();
            facts.missingOwed(device, membership, missing);
            for (int i = 0; i < missing.size(); i++) {
                lost.set(missing.get(i));
            }
        });
        int count = lost.cardinality();
        if (count == 0) {
            return;
        }
        int[] shown = firstCommitted(facts, lost, ViolationLog.EXAMPLES_MAX);
        List<List<String>> missingOn = new ArrayList<>();
        List<List<Long>> connectLines = new ArrayList<>();
        for (int i = 0; i < shown.length; i++) {
            missingOn.add(new ArrayList<>());
            connectLines.add(new ArrayList<>());
        }
        forEachOwedDevice(facts, (device, membership) -> {
            missing.clear();
            facts.missingOwed(device, membership, missing);
            for (int i = 0; i < missing.size(); i++) {
                for (int k = 0; k < shown.length; k++) {
                    if (shown[k] == missing.get(i)) {
                        missingOn.get(k).add(facts.deviceLabel(device));
                        connectLines.get(k).add(facts.connectAfterQuiesceLine(device));
                    }
                }
            }
        });
        log.countMany(count);
        for (int k = 0; k < shown.length; k++) {
            int message = shown[k];
            List<Long> lines = new ArrayList<>();
            lines.add(facts.messageCommitLine(message));
            lines.add(facts.quiesceLine());
            lines.addAll(connectLines.get(k).subList(0, Math.min(3, connectLines.get(k).size())));
            log.example(new Example(
                    Describe.seqAndCmid(facts, message, facts.messageSeq(message)) + " of "
                            + Describe.chat(facts, facts.messageChat(message)) + ", committed at line "
                            + facts.messageCommitLine(message) + ", never reached " + String.join(", ", missingOn.get(k))
                            + " although they connected after the quiesce at line " + facts.quiesceLine(),
                    Describe.message(facts, message), null, missingOn.get(k), lines));
        }
    }

    private interface OwedDevice {
        void accept(int device, int membership);
    }

    /** Every device that connected after the quiesce, with each chat its user is a member of at the end. */
    private static void forEachOwedDevice(HistoryFacts facts, OwedDevice action) {
        for (int membership = 0; membership < facts.membershipCount(); membership++) {
            if (!facts.isMember(membership)) {
                continue;
            }
            IntList devices = facts.devicesOf(facts.membershipUser(membership));
            for (int i = 0; i < devices.size(); i++) {
                int device = devices.get(i);
                if (facts.connectAfterQuiesceLine(device) != 0) {
                    action.accept(device, membership);
                }
            }
        }
    }

    /** The {@code max} lost messages committed first, in commit order: the first found. */
    private static int[] firstCommitted(HistoryFacts facts, BitSet lost, int max) {
        int[] top = new int[max];
        int size = 0;
        for (int m = lost.nextSetBit(0); m >= 0; m = lost.nextSetBit(m + 1)) {
            long line = facts.messageCommitLine(m);
            if (size == max && line >= facts.messageCommitLine(top[max - 1])) {
                continue;
            }
            int at = size == max ? max - 1 : size++;
            while (at > 0 && facts.messageCommitLine(top[at - 1]) > line) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = m;
        }
        return Arrays.copyOf(top, size);
    }

    @Override
    public InvariantResult result() {
        if (!applicable) {
            return InvariantResult.notApplicable(NAME, "the history has no quiesce");
        }
        return log.result();
    }
}
