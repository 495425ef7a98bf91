package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongObjectMap;
import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.SeqSet;

/**
 * What one device has done in one chat: the seqs it delivered (for read-after-deliver and
 * receipt-truthful), the highest of them, and its place in the chat's late log with the owed
 * messages it is missing (for no-hole and no-lost-ack). One object (the delivered seqs are the
 * {@link SeqSet} it extends), so that a delivery touches one place in memory.
 */
final class DeviceChat extends SeqSet implements LongObjectMap.Keyed {

    final int id;
    final int device;
    final int chat;
    /** The device's user's membership of the chat, found once. */
    ChatMembership membership;
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
        add(seq);
        if (seq > maxSeq) {
            maxSeq = seq;
            maxLine = line;
        }
    }

    boolean hasDelivered(long seq) {
        return contains(seq);
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
