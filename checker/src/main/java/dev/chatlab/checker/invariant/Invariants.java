package dev.chatlab.checker.invariant;

import java.util.List;

/**
 * The invariants of the history format, fresh instances in the contract's order.
 *
 * <pre>{@code
 * HistoryChecker checker = new HistoryChecker(Invariants.all());
 * }</pre>
 */
public final class Invariants {

    /** The stable names, in the order verdicts list them. */
    public static final List<String> NAMES = List.of(
            UniqueSeq.NAME, NoPhantom.NAME, PerDeviceOrder.NAME, NoHole.NAME, SenderFifo.NAME,
            NoLostAck.NAME, Membership.NAME, ReadAfterDeliver.NAME, ReceiptMonotone.NAME, ReceiptTruthful.NAME);

    private Invariants() {
    }

    public static List<Invariant> all() {
        return List.of(new UniqueSeq(), new NoPhantom(), new PerDeviceOrder(), new NoHole(), new SenderFifo(),
                new NoLostAck(), new Membership(), new ReadAfterDeliver(), new ReceiptMonotone(), new ReceiptTruthful());
    }
}
