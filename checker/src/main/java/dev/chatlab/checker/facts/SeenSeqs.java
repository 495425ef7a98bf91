package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.LongList;

/**
 * The seqs one device has delivered in one chat. Deliveries normally come in increasing seq order,
 * so they append to a sorted list that a binary search answers; the rare ones that come out of
 * order (already a violation of per-device-order) go to a small unsorted side list.
 *
 * <p>This is the one fact whose size grows with the number of deliveries rather than with live
 * state: {@code read-after-deliver} and {@code receipt-truthful} may ask about any seq a device
 * ever delivered.
 */
public final class SeenSeqs {

    private final LongList inOrder = new LongList(2);
    private LongList outOfOrder;

    public void add(long seq) {
        if (inOrder.isEmpty() || seq > inOrder.last()) {
            inOrder.add(seq);
        } else {
            if (outOfOrder == null) {
                outOfOrder = new LongList(2);
            }
            outOfOrder.add(seq);
        }
    }

    public boolean contains(long seq) {
        int at = inOrder.lowerBound(seq);
        if (at < inOrder.size() && inOrder.get(at) == seq) {
            return true;
        }
        if (outOfOrder != null) {
            for (int i = 0; i < outOfOrder.size(); i++) {
                if (outOfOrder.get(i) == seq) {
                    return true;
                }
            }
        }
        return false;
    }
}
