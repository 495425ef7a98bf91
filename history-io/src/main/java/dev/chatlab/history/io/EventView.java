package dev.chatlab.history.io;

import dev.chatlab.core.history.HistoryEvent.*;
import dev.chatlab.core.history.HistoryEvent;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One event of a history as its fields, without a {@link HistoryEvent} record or a String per
 * field: the ids are UTF-8 bytes in a buffer, numbers and enumerations are plain fields. A
 * consumer that turns ids into numbers of its own (the checker) reads them straight from the
 * bytes. {@link HistoryReader#nextView()} fills one view per reader, in place in its buffer;
 * {@link #set} fills a view from a record, so that events built in code take the same way.
 *
 * <pre>{@code
 * try (HistoryReader in = HistoryReader.open(path)) {
 *     for (EventView e; (e = in.nextView()) != null; ) {
 *         if (e.type() == EventView.Type.DELIVER) {
 *             count(e.bytes(), e.start(EventView.DEVICE), e.length(EventView.DEVICE), e.seq());
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>A view is reused: it is valid until the next event is read or set, so keep what you need
 * from it, never the view or its buffer.
 */
public final class EventView {

    /** The event types, one per {@link HistoryEvent} record. */
    public enum Type {
        MEMBER, CONNECT, DISCONNECT, SEND, ACK, FAIL, DELIVER, READ, RECEIPT, PRESENCE, TYPING, QUIESCE, UNKNOWN
    }

    /** The id fields (strings), numbered for {@link #start} and {@link #length}. */
    public static final int USER = 0;
    public static final int DEVICE = 1;
    public static final int CHAT = 2;
    public static final int CMID = 3;
    public static final int FROM = 4;
    public static final int BY = 5;
    public static final int ABOUT = 6;
    public static final int NODE = 7;
    public static final int REASON = 8;
    static final int ID_FIELDS = 9;

    Type type;
    long t;
    long seq;
    MemberOp op;
    Via via;
    ReceiptState receiptState;
    PresenceState presenceState;
    Long lastSeen;
    /** The {@code type} of an {@link Type#UNKNOWN} event. */
    String unknownType;

    byte[] bytes;
    /** Per id field: where its bytes start and how many there are, -1 when the event has none. */
    final int[] starts = new int[ID_FIELDS];
    final int[] lengths = new int[ID_FIELDS];

    /** Forgets the fields only some types carry, before a parser fills the view with a new line. */
    void clearDetails() {
        op = null;
        via = null;
        receiptState = null;
        presenceState = null;
        lastSeen = null;
        unknownType = null;
    }

    /** Holds the ids of a view filled by {@link #set}. */
    private byte[] own = new byte[256];
    /** Per id field: the string it gave last, handed out again while the bytes are the same. */
    private final String[] previous = new String[ID_FIELDS];

    public Type type() {
        return type;
    }

    /** Microseconds since the start of the run. */
    public long t() {
        return t;
    }

    /** The seq of an ack, deliver, read or receipt; 0 for other types. */
    public long seq() {
        return seq;
    }

    /** The op of a member event, else null. */
    public MemberOp op() {
        return op;
    }

    /** The via of a deliver, null when absent. */
    public Via via() {
        return via;
    }

    /** The state of a receipt, else null. */
    public ReceiptState receiptState() {
        return receiptState;
    }

    /** The state of a presence, else null. */
    public PresenceState presenceState() {
        return presenceState;
    }

    /** The {@code type} of an event of a type the format does not know, else null. */
    public String unknownType() {
        return unknownType;
    }

    /** The buffer that holds the ids of this event (a shared buffer: read it, never keep it). */
    public byte[] bytes() {
        return bytes;
    }

    /** Where the id field's UTF-8 bytes start in {@link #bytes()}, -1 when the event has no such field. */
    public int start(int field) {
        return starts[field];
    }

    /** How many bytes the id field has, -1 when the event has no such field. */
    public int length(int field) {
        return lengths[field];
    }

    /**
     * The id field as a String, or null when absent. The same instance as the last call for that
     * field while the bytes are the same, because consecutive events often name the same chat,
     * message and sender (a fan-out).
     */
    public String string(int field) {
        int length = lengths[field];
        if (length < 0) {
            return null;
        }
        int at = starts[field];
        String before = previous[field];
        if (before != null && before.length() == length) {
            int i = 0;
            while (i < length && bytes[at + i] >= 0 && bytes[at + i] == before.charAt(i)) {
                i++;
            }
            if (i == length) {
                return before;
            }
        }
        String value = new String(bytes, at, length, StandardCharsets.UTF_8);
        previous[field] = value;
        return value;
    }

    /** The event as a record. */
    public HistoryEvent toEvent() {
        return switch (type) {
            case MEMBER -> new Member(t, string(CHAT), string(USER), op);
            case CONNECT -> new Connect(t, string(USER), string(DEVICE), string(NODE));
            case DISCONNECT -> new Disconnect(t, string(USER), string(DEVICE), string(REASON));
            case SEND -> new Send(t, string(USER), string(DEVICE), string(CHAT), string(CMID));
            case ACK -> new Ack(t, string(USER), string(DEVICE), string(CHAT), string(CMID), seq);
            case FAIL -> new Fail(t, string(USER), string(DEVICE), string(CHAT), string(CMID));
            case DELIVER -> new Deliver(t, string(USER), string(DEVICE), string(CHAT), seq, string(CMID), string(FROM), via);
            case READ -> new Read(t, string(USER), string(DEVICE), string(CHAT), seq);
            case RECEIPT -> new Receipt(t, string(USER), string(DEVICE), string(CHAT), string(BY), receiptState, seq);
            case PRESENCE -> new Presence(t, string(USER), string(DEVICE), string(ABOUT), presenceState, lastSeen);
            case TYPING -> new Typing(t, string(USER), string(DEVICE), string(CHAT), string(FROM));
            case QUIESCE -> new Quiesce(t);
            case UNKNOWN -> new Unknown(t, unknownType);
        };
    }

    /** Empties every field; the reader then fills those its line has. */
    /** {@code size} empty views, for {@link HistoryReader#nextViews} to fill. */
    public static EventView[] batch(int size) {
        EventView[] views = new EventView[size];
        for (int i = 0; i < size; i++) {
            views[i] = new EventView();
        }
        return views;
    }

    /** Makes this view show what {@code other} shows, for as long as {@code other}'s bytes stay put. */
    void copyOf(EventView other) {
        type = other.type;
        t = other.t;
        seq = other.seq;
        op = other.op;
        via = other.via;
        receiptState = other.receiptState;
        presenceState = other.presenceState;
        lastSeen = other.lastSeen;
        unknownType = other.unknownType;
        bytes = other.bytes;
        System.arraycopy(other.starts, 0, starts, 0, ID_FIELDS);
        System.arraycopy(other.lengths, 0, lengths, 0, ID_FIELDS);
    }

    void clear(Type type, long t) {
        this.type = type;
        this.t = t;
        seq = 0;
        clearDetails();
        Arrays.fill(starts, -1);
        Arrays.fill(lengths, -1);
    }

    /**
     * Fills this view from a record (null fields stay absent), with the ids encoded into a buffer
     * of the view's own; returns this view.
     */
    public EventView set(HistoryEvent event) {
        bytes = own;
        int[] used = {0};
        if (event instanceof Deliver e) {
            clear(Type.DELIVER, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            put(CMID, e.cmid(), used);
            put(FROM, e.from(), used);
            seq = e.seq();
            via = e.via();
        } else if (event instanceof Receipt e) {
            clear(Type.RECEIPT, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            put(BY, e.by(), used);
            receiptState = e.state();
            seq = e.seq();
        } else if (event instanceof Read e) {
            clear(Type.READ, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            seq = e.seq();
        } else if (event instanceof Send e) {
            clear(Type.SEND, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            put(CMID, e.cmid(), used);
        } else if (event instanceof Ack e) {
            clear(Type.ACK, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            put(CMID, e.cmid(), used);
            seq = e.seq();
        } else if (event instanceof Fail e) {
            clear(Type.FAIL, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            put(CMID, e.cmid(), used);
        } else if (event instanceof Member e) {
            clear(Type.MEMBER, e.t());
            put(CHAT, e.chat(), used);
            put(USER, e.user(), used);
            op = e.op();
        } else if (event instanceof Connect e) {
            clear(Type.CONNECT, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(NODE, e.node(), used);
        } else if (event instanceof Disconnect e) {
            clear(Type.DISCONNECT, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(REASON, e.reason(), used);
        } else if (event instanceof Presence e) {
            clear(Type.PRESENCE, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(ABOUT, e.about(), used);
            presenceState = e.state();
            lastSeen = e.lastSeen();
        } else if (event instanceof Typing e) {
            clear(Type.TYPING, e.t());
            put(USER, e.user(), used);
            put(DEVICE, e.device(), used);
            put(CHAT, e.chat(), used);
            put(FROM, e.from(), used);
        } else if (event instanceof Quiesce e) {
            clear(Type.QUIESCE, e.t());
        } else if (event instanceof Unknown e) {
            clear(Type.UNKNOWN, e.t());
            unknownType = e.type();
        } else {
            throw new IllegalArgumentException("not an event: " + event);
        }
        return this;
    }

    private void put(int field, String value, int[] used) {
        if (value == null) {
            return;
        }
        byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
        int at = used[0];
        if (at + encoded.length > own.length) {
            own = Arrays.copyOf(own, Math.max(own.length * 2, at + encoded.length));
            bytes = own;
        }
        System.arraycopy(encoded, 0, own, at, encoded.length);
        starts[field] = at;
        lengths[field] = encoded.length;
        used[0] = at + encoded.length;
    }

    @Override
    public String toString() {
        return type == null ? "EventView[empty]" : "EventView[" + toEvent() + "]";
    }
}
