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
 * end of the file, every owed device that is live after the quiesce (owed: its user was a member
 * when the message was committed and has not been removed since; the sending device excepted;
 * live: its session was open at the quiesce, or it connected after it). Judged once, at the end,
 * from what the facts say each device is still missing; counts one violation per message, listing
 * the devices it is missing on, and judges one obligation per (message, owed live device).
 * Without a quiesce, or with nothing owed to a live device, the invariant does not apply.
 */
public final class NoLostAck extends Invariant {

    public static final String NAME = "no-lost-ack";

    private final ViolationLog log = new ViolationLog(NAME);
    private String whyNone = "the history has no quiesce";

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

    /**
     * What devices live after the quiesce are still owed, so far: the committed messages missing
     * somewhere, the devices missing something, and the (message, device) pairs. A run that waits
     * for convergence asks this while it runs; at the end of a history it is what this rule reports.
     */
    public record Backlog(int messages, int devices, long obligations) {
        public boolean settled() {
            return obligations == 0;
        }
    }

    /** The backlog of the history so far; empty before the first quiesce. */
    public static Backlog backlog(HistoryFacts facts) {
        if (facts.quiesceLine() == 0) {
            return new Backlog(0, 0, 0);
        }
        BitSet lost = new BitSet();
        BitSet behind = new BitSet();
        long obligations = collectMissing(facts, lost, behind, (device, membership) -> { });
        return new Backlog(lost.cardinality(), behind.cardinality(), obligations);
    }

    /**
     * Marks each committed message still missing on some owed live device in {@code lost}, and
     * each such device in {@code behind}; {@code eachOwed} sees every (device, membership) owed
     * first. Returns the (message, device) pairs missing.
     */
    private static long collectMissing(HistoryFacts facts, BitSet lost, BitSet behind, OwedDevice eachOwed) {
        IntList missing = new IntList();
        long[] obligations = new long[1];
        forEachOwedDevice(facts, (device, membership) -> {
            eachOwed.accept(device, membership);
            missing.clear();
            facts.missingOwed(device, membership, missing);
            for (int i = 0; i < missing.size(); i++) {
                lost.set(missing.get(i));
            }
            if (!missing.isEmpty()) {
                behind.set(device);
                obligations[0] += missing.size();
            }
        });
        return obligations[0];
    }

    @Override
    public void finish(HistoryFacts facts) {
        if (facts.quiesceLine() == 0) {
            return;
        }
        whyNone = "no device was live after the quiesce (none had a session open at it or connected after it)";
        BitSet lost = new BitSet();
        collectMissing(facts, lost, new BitSet(), (device, membership) -> {
            whyNone = "no committed message was owed to a device live after the quiesce";
            log.judged(facts.owedCount(device, membership));
        });
        int count = lost.cardinality();
        if (count == 0) {
            return;
        }
        int[] shown = firstCommitted(facts, lost, ViolationLog.EXAMPLES_MAX);
        IntList missing = new IntList();
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
                        connectLines.get(k).add(facts.liveAfterQuiesceLine(device));
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
            for (long line : connectLines.get(k)) {
                if (lines.size() < 5 && !lines.contains(line)) {
                    lines.add(line);
                }
            }
            log.example(new Example(
                    Describe.seqAndCmid(facts, message, facts.messageSeq(message)) + " of "
                            + Describe.chat(facts, facts.messageChat(message)) + ", committed at line "
                            + facts.messageCommitLine(message) + ", never reached " + String.join(", ", missingOn.get(k))
                            + " although they were live after the quiesce at line " + facts.quiesceLine()
                            + " (connected through it or after it)",
                    Describe.message(facts, message), null, missingOn.get(k), lines));
        }
    }

    private interface OwedDevice {
        void accept(int device, int membership);
    }

    /** Every device live after the quiesce, with each chat its user is a member of at the end. */
    private static void forEachOwedDevice(HistoryFacts facts, OwedDevice action) {
        for (int membership = 0; membership < facts.membershipCount(); membership++) {
            if (!facts.isMember(membership)) {
                continue;
            }
            IntList devices = facts.devicesOf(facts.membershipUser(membership));
            for (int i = 0; i < devices.size(); i++) {
                int device = devices.get(i);
                if (facts.liveAfterQuiesceLine(device) != 0) {
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
        return log.result(whyNone);
    }
}
