package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.IntList;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.history.io.EventView;

/**
 * One event as the facts resolved it: its kind and plain fields, its line, the dense ids it names and
 * what was true just before it (a message's earlier seq, a device's last delivery, ...).
 * {@link HistoryFacts} fills one reused instance per event, so invariants must not keep it.
 * Ids the event does not name are -1.
 */
public final class Step {

    public Kind kind;
    /** 1-based line in the file, or the event's ordinal when checked online. */
    public long line;
    public long t;

    public int user;
    public int device;
    public int chat;
    /** The message named by (chat, sender, cmid); for a deliver the sender is {@code from}. */
    public int message;
    /** (device, chat) state for deliver, read and receipt. */
    public int deviceChat;
    /** (user, chat) membership of the event's user. */
    public int membership;
    /** {@code by} of a receipt, {@code about} of a presence, {@code from} of a deliver. */
    public int otherUser;
    public long seq;
    /** The op of a member event, else null. */
    public MemberOp op;
    /** The state of a receipt, else null. */
    public ReceiptState receiptState;
    /** The state of a presence, else null. */
    public PresenceState presenceState;

    /** A send that is the first send of its message in the history. */
    public boolean firstSend;
    /** An ack or deliver that commits its message (the message had no ack and no deliver before). */
    public boolean commitsNow;
    /** A deliver by the device that sent the message itself: every invariant ignores it. */
    public boolean ownDelivery;
    /** The message that {@code (chat, seq)} named before this event, or -1. */
    public int seqOwnerBefore;
    /** The seq the message had before this event, or 0. */
    public long messageSeqBefore;
    /** For a deliver: the highest seq this device had delivered in the chat before, or 0. */
    public long maxDeliveredBefore;
    /** For a deliver: the line of that delivery, or 0. */
    public long maxDeliveredLine;
    /** The event's user is a member of the chat just before the event. */
    public boolean memberNow;
    /**
     * The (device, chat) row found while prefetching, or -1 (none yet): for invariants' {@code
     * prefetch}, which runs before the step is resolved, and for resolving it without a second
     * look-up (a row, once made, stays). Judging uses {@link #deviceChat}.
     */
    public int rowHint;
    /** For a deliver: owed messages found skipped by this delivery (each reported once per device). */
    public final IntList holes = new IntList();

    void reset(EventView event, long line) {
        this.kind = Kind.of(event.type());
        this.line = line;
        this.t = event.t();
        seq = event.seq();
        op = event.op();
        receiptState = event.receiptState();
        presenceState = event.presenceState();
        user = -1;
        device = -1;
        chat = -1;
        message = -1;
        deviceChat = -1;
        rowHint = -1;
        membership = -1;
        otherUser = -1;
        firstSend = false;
        commitsNow = false;
        ownDelivery = false;
        seqOwnerBefore = -1;
        messageSeqBefore = 0;
        maxDeliveredBefore = 0;
        maxDeliveredLine = 0;
        memberNow = false;
        holes.clear();
    }
}
