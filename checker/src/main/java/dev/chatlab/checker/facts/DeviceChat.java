package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongObjectMap;
import dev.chatlab.checker.collect.IntList;

import java.util.Arrays;

/**
 * What one device has done in one chat: the seqs it delivered (for read-after-deliver and
 * receipt-truthful), the highest of them, and its place in the chat's late log with the owed
 * messages it is missing (for no-hole and no-lost-ack). One object, so that a delivery touches
 * one place in memory.
 */
final class DeviceChat implements LongObjectMap.Keyed {

    private static final long[] NONE = new long[0];

    final int id;
    final int device;
    final int chat;
    long maxSeq;
    long maxLine;
    /** The membership period the fields below belong to; -1 before the first look. */
    int epoch = -1;
    /** How much of the chat's late log this device has looked at. */
    int cursor;
    /** Owed messages skipped (already reported as holes), or null. */
    IntList missing;
    /** Owed messages committed late below the device's last delivery, not yet due; or null. */
    IntList waiting;

    /** Delivered seqs: ascending ones appended, the rare out-of-order ones kept apart. */
    private long[] seen = NONE;
    private int seenSize;
    private long[] outOfOrder;
    private int outOfOrderSize;

    DeviceChat(int id, int device, int chat) {
        this.id = id;
        this.device = device;
        this.chat = chat;
    }

    @Override
    public long key() {
        return LongIntMap.pack(device, chat);
    }

    void delivered(long seq, long line) {
        if (seenSize == 0 || seq > seen[seenSize - 1]) {
            if (seenSize == seen.length) {
                seen = Arrays.copyOf(seen, Math.max(4, seenSize * 2));
            }
            seen[seenSize++] = seq;
        } else {
            if (outOfOrder == null) {
                outOfOrder = new long[2];
            } else if (outOfOrderSize == outOfOrder.length) {
                outOfOrder = Arrays.copyOf(outOfOrder, outOfOrderSize * 2);
            }
            outOfOrder[outOfOrderSize++] = seq;
        }
        if (seq > maxSeq) {
            maxSeq = seq;
            maxLine = line;
        }
    }

    boolean hasDelivered(long seq) {
        if (seenSize > 0 && seq == seen[seenSize - 1]) {
            return true;
        }
        if (Arrays.binarySearch(seen, 0, seenSize, seq) >= 0) {
            return true;
        }
        for (int i = 0; i < outOfOrderSize; i++) {
            if (outOfOrder[i] == seq) {
                return true;
            }
        }
        return false;
    }

    IntList missing() {
        if (missing == null) {
            missing = new IntList(2);
        }
        return missing;
    }

    IntList waiting() {
        if (waiting == null) {
            waiting = new IntList(2);
        }
        return waiting;
    }
}
