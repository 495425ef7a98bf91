package dev.chatlab.history.io;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.history.io.EventView.Type;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.chatlab.history.io.AsciiString.LONGS;

/**
 * Parses a line in the exact shape {@link HistoryWriter} gives it: no spaces, {@code t} first,
 * {@code type} second, then the type's fields in the writer's order, ids of printable ASCII
 * without escapes. Such a line is matched a word at a time against the bytes it must hold, with
 * no search for names and no bookkeeping of which fields were seen. It is a shortcut, not a
 * parser of its own: at the first byte that differs from the writer's shape (a space, another
 * order, an unknown or repeated field, an escape, an empty id, a bad value), {@link #parse}
 * returns false and the general parser reads the line from its start, so a line gives the same
 * view, or the same error, whichever way it went.
 *
 * <pre>{@code
 * WriterOrderLine writerOrder = new WriterOrderLine();
 * if (!writerOrder.parse(buffer, from, end, view)) {
 *     generalParse(buffer, from, end, view);
 * }
 * }</pre>
 */
final class WriterOrderLine {

    /** For {@link #parse}: the line ends at the first CR or LF after its object. */
    static final int END_UNKNOWN = -1;

    /** Where the line parsed last ended, when its end was unknown. */
    int stop;
    /** The digits {@link #digits} read last. */
    private long number;
    /** The index, in the array given to {@link #oneOf}, of the value it matched last. */
    private int chosen;

    /**
     * Bytes a line must hold at some place, as two little-endian words and the masks of the bytes
     * that count (a word load reads eight bytes whatever the length). None is longer than 16 bytes.
     */
    private record Expected(long first, long firstMask, long second, long secondMask, int length) {

        static Expected of(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > 16) {
                throw new IllegalArgumentException(text);
            }
            long[] words = new long[2];
            long[] masks = new long[2];
            for (int i = 0; i < bytes.length; i++) {
                words[i / 8] |= (long) (bytes[i] & 0xff) << (8 * (i % 8));
                masks[i / 8] |= 0xffL << (8 * (i % 8));
            }
            return new Expected(words[0], masks[0], words[1], masks[1], bytes.length);
        }
    }

    /** Per id field of a view: absent. */
    private static final int[] ABSENT = new int[EventView.ID_FIELDS];

    static {
        Arrays.fill(ABSENT, -1);
    }

    private static final Expected OPEN = Expected.of("{\"t\":");
    private static final Expected TYPE = Expected.of(",\"type\":\"");

    private static final Expected USER = Expected.of(",\"user\":\"");
    private static final Expected DEVICE = Expected.of(",\"device\":\"");
    private static final Expected CHAT = Expected.of(",\"chat\":\"");
    private static final Expected CMID = Expected.of(",\"cmid\":\"");
    private static final Expected FROM = Expected.of(",\"from\":\"");
    private static final Expected BY = Expected.of(",\"by\":\"");
    private static final Expected ABOUT = Expected.of(",\"about\":\"");
    private static final Expected NODE = Expected.of(",\"node\":\"");
    private static final Expected REASON = Expected.of(",\"reason\":\"");
    private static final Expected SEQ = Expected.of(",\"seq\":");
    private static final Expected OP = Expected.of(",\"op\":\"");
    private static final Expected VIA = Expected.of(",\"via\":\"");
    private static final Expected STATE = Expected.of(",\"state\":\"");
    private static final Expected LAST_SEEN = Expected.of(",\"last_seen\":");

    // Types and enumeration values with their closing quote, so that a longer value does not match.
    private static final Expected DELIVER_TYPE = Expected.of("deliver\"");
    private static final Expected DISCONNECT_TYPE = Expected.of("disconnect\"");
    private static final Expected RECEIPT_TYPE = Expected.of("receipt\"");
    private static final Expected READ_TYPE = Expected.of("read\"");
    private static final Expected SEND_TYPE = Expected.of("send\"");
    private static final Expected ACK_TYPE = Expected.of("ack\"");
    private static final Expected CONNECT_TYPE = Expected.of("connect\"");
    private static final Expected MEMBER_TYPE = Expected.of("member\"");
    private static final Expected FAIL_TYPE = Expected.of("fail\"");
    private static final Expected TYPING_TYPE = Expected.of("typing\"");
    private static final Expected PRESENCE_TYPE = Expected.of("presence\"");
    private static final Expected QUIESCE_TYPE = Expected.of("quiesce\"");

    // Each enum field's constants, and their values as the writer writes them, in the same order.
    private static final MemberOp[] OPS = MemberOp.values();
    private static final Expected[] OP_VALUES = quoted(Arrays.stream(OPS).map(MemberOp::wire));
    private static final Via[] VIAS = Via.values();
    private static final Expected[] VIA_VALUES = quoted(Arrays.stream(VIAS).map(Via::wire));
    private static final ReceiptState[] RECEIPT_STATES = ReceiptState.values();
    private static final Expected[] RECEIPT_STATE_VALUES = quoted(Arrays.stream(RECEIPT_STATES).map(ReceiptState::wire));
    private static final PresenceState[] PRESENCE_STATES = PresenceState.values();
    private static final Expected[] PRESENCE_STATE_VALUES = quoted(Arrays.stream(PRESENCE_STATES).map(PresenceState::wire));

    /**
     * Parses the line at {@code b[from, end)} ({@code end} may be {@link #END_UNKNOWN}) into the
     * view; false when the line is not in the writer's shape, and then the view holds garbage.
     */
    boolean parse(byte[] b, int from, int end, EventView v) {
        int p = digits(b, match(b, from, OPEN));
        long t = number;
        p = match(b, p, TYPE);
        if (p < 0) {
            return false;
        }
        // A copy is an intrinsic the compiler always expands here; Arrays.fill is a call it may not inline into this large method.
        System.arraycopy(ABSENT, 0, v.starts, 0, EventView.ID_FIELDS);
        System.arraycopy(ABSENT, 0, v.lengths, 0, EventView.ID_FIELDS);
        v.t = t;
        v.bytes = b;
        v.seq = 0;
        v.clearDetails();
        switch (b[p]) {
            case 'd' -> {
                int at = match(b, p, DELIVER_TYPE);
                if (at >= 0) {
                    v.type = Type.DELIVER;
                    at = id(b, seq(b, id(b, device(b, at, v), CHAT, v, EventView.CHAT), v), CMID, v, EventView.CMID);
                    at = id(b, at, FROM, v, EventView.FROM);
                    if (at >= 0 && b[at] == ',') {
                        at = oneOf(b, match(b, at, VIA), VIA_VALUES);
                        if (at >= 0) {
                            v.via = VIAS[chosen];
                        }
                    }
                    return ends(b, at, end);
                }
                at = match(b, p, DISCONNECT_TYPE);
                if (at >= 0) {
                    v.type = Type.DISCONNECT;
                    at = device(b, at, v);
                    if (at >= 0 && b[at] == ',') {
                        at = id(b, at, REASON, v, EventView.REASON);
                    }
                    return ends(b, at, end);
                }
                return false;
            }
            case 'r' -> {
                int at = match(b, p, RECEIPT_TYPE);
                if (at >= 0) {
                    v.type = Type.RECEIPT;
                    at = match(b, id(b, id(b, device(b, at, v), CHAT, v, EventView.CHAT), BY, v, EventView.BY), STATE);
                    at = oneOf(b, at, RECEIPT_STATE_VALUES);
                    if (at >= 0) {
                        v.receiptState = RECEIPT_STATES[chosen];
                    }
                    return ends(b, seq(b, at, v), end);
                }
                at = match(b, p, READ_TYPE);
                if (at >= 0) {
                    v.type = Type.READ;
                    return ends(b, seq(b, id(b, device(b, at, v), CHAT, v, EventView.CHAT), v), end);
                }
                return false;
            }
            case 's' -> {
                v.type = Type.SEND;
                return ends(b, message(b, match(b, p, SEND_TYPE), v), end);
            }
            case 'a' -> {
                v.type = Type.ACK;
                return ends(b, seq(b, message(b, match(b, p, ACK_TYPE), v), v), end);
            }
            case 'f' -> {
                v.type = Type.FAIL;
                return ends(b, message(b, match(b, p, FAIL_TYPE), v), end);
            }
            case 'c' -> {
                v.type = Type.CONNECT;
                return ends(b, id(b, device(b, match(b, p, CONNECT_TYPE), v), NODE, v, EventView.NODE), end);
            }
            case 'm' -> {
                v.type = Type.MEMBER;
                int at = match(b, id(b, id(b, match(b, p, MEMBER_TYPE), CHAT, v, EventView.CHAT), USER, v, EventView.USER), OP);
                at = oneOf(b, at, OP_VALUES);
                if (at >= 0) {
                    v.op = OPS[chosen];
                }
                return ends(b, at, end);
            }
            case 't' -> {
                v.type = Type.TYPING;
                int at = id(b, device(b, match(b, p, TYPING_TYPE), v), CHAT, v, EventView.CHAT);
                return ends(b, id(b, at, FROM, v, EventView.FROM), end);
            }
            case 'p' -> {
                v.type = Type.PRESENCE;
                int at = match(b, id(b, device(b, match(b, p, PRESENCE_TYPE), v), ABOUT, v, EventView.ABOUT), STATE);
                at = oneOf(b, at, PRESENCE_STATE_VALUES);
                if (at >= 0) {
                    v.presenceState = PRESENCE_STATES[chosen];
                }
                if (at >= 0 && b[at] == ',') {
                    at = digits(b, match(b, at, LAST_SEEN));
                    if (at >= 0) {
                        v.lastSeen = number;
                    }
                }
                return ends(b, at, end);
            }
            case 'q' -> {
                v.type = Type.QUIESCE;
                return ends(b, match(b, p, QUIESCE_TYPE), end);
            }
            default -> {
                return false;
            }
        }
    }

    /** The end of whichever of {@code values} stands at {@code p} (its index in {@link #chosen}), or -1. */
    private int oneOf(byte[] b, int p, Expected[] values) {
        for (int i = 0; i < values.length; i++) {
            int at = match(b, p, values[i]);
            if (at >= 0) {
                chosen = i;
                return at;
            }
        }
        return -1;
    }

    /** An enum field's values as the writer writes them: each followed by its closing quote. */
    private static Expected[] quoted(java.util.stream.Stream<String> wires) {
        return wires.map(wire -> Expected.of(wire + "\"")).toArray(Expected[]::new);
    }

    /** The user, device, chat and cmid of a send, ack or fail. */
    private static int message(byte[] b, int p, EventView v) {
        return id(b, id(b, device(b, p, v), CHAT, v, EventView.CHAT), CMID, v, EventView.CMID);
    }

    /** The user and device every device event starts with. */
    private static int device(byte[] b, int p, EventView v) {
        return id(b, id(b, p, USER, v, EventView.USER), DEVICE, v, EventView.DEVICE);
    }

    /** A non-empty id after its name; where the line goes on, or -1. */
    private static int id(byte[] b, int p, Expected name, EventView v, int field) {
        p = match(b, p, name);
        if (p < 0) {
            return -1;
        }
        int close = AsciiString.closingQuote(b, p);
        if (close <= p) {
            // Not the writer's shape (-1), or an empty id, which the general parser judges.
            return -1;
        }
        v.starts[field] = p;
        v.lengths[field] = close - p;
        return close + 1;
    }

    private int seq(byte[] b, int p, EventView v) {
        p = digits(b, match(b, p, SEQ));
        if (p < 0 || number < 1) {
            return -1;
        }
        v.seq = number;
        return p;
    }

    /**
     * A non-negative integer of at most 18 digits without leading zeros at {@code p} (-1 passes
     * through) into {@link #number}; where the line goes on, or -1. The byte after it is left to
     * the next match, which never expects a digit, a dot or an exponent there.
     */
    private int digits(byte[] b, int p) {
        if (p < 0) {
            return -1;
        }
        int start = p;
        long value = b[p] - '0';
        if (value < 0 || value > 9) {
            return -1;
        }
        p++;
        int digit;
        while ((digit = b[p] - '0') >= 0 && digit <= 9) {
            if (value == 0) {
                // A leading zero.
                return -1;
            }
            value = value * 10 + digit;
            p++;
        }
        if (p - start > 18) {
            return -1;
        }
        number = value;
        return p;
    }

    /** Where the line goes on after the expected bytes at {@code p} (-1 passes through), or -1 when they differ. */
    private static int match(byte[] b, int p, Expected expected) {
        if (p < 0 || p + 16 > b.length) {
            return -1;
        }
        long first = (long) LONGS.get(b, p);
        long second = (long) LONGS.get(b, p + 8);
        if ((first & expected.firstMask) != expected.first || (second & expected.secondMask) != expected.second) {
            return -1;
        }
        return p + expected.length;
    }

    /** True when the object closes at {@code p} and the line ends right after it. */
    private boolean ends(byte[] b, int p, int end) {
        if (p < 0 || b[p] != '}') {
            return false;
        }
        p++;
        if (end == END_UNKNOWN) {
            if (b[p] != '\n' && b[p] != '\r') {
                return false;
            }
            stop = p;
            return true;
        }
        return p == end;
    }
}
