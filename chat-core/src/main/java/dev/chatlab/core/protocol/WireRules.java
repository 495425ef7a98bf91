package dev.chatlab.core.protocol;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * The value rules of the wire protocol, shared by the encoder and the decoder so that whatever
 * one writes the other accepts, and both word a broken rule the same way.
 *
 * <pre>{@code
 * if (!WireRules.isSeq(seq)) {
 *     throw new IllegalArgumentException(WireRules.badField("seq", "ack", WireRules.SEQ, Long.toString(seq)));
 * }
 * }</pre>
 */
final class WireRules {

    /** The most messages one {@code sync} may ask for. */
    static final int SYNC_LIMIT_MAX = 10_000;

    // What a field must hold, worded to complete "expected ...".
    static final String ID = "a non-empty string";
    static final String TEXT = "a string";
    static final String SEQ = "a positive integer";
    static final String CURSOR = "a non-negative integer";
    static final String LONG = "an integer";
    static final String LIMIT = "an integer from 1 to " + SYNC_LIMIT_MAX;
    static final String BOOLEAN = "true or false";
    static final String OBJECT = "an object";
    static final String USERS = "an array of non-empty strings";
    static final String CHATS = "an array of objects {\"chat\": ..., \"last_seq\": ...}";
    static final String LAST_SEEN = "a non-negative integer (microseconds), or no field when unknown";
    static final String VERSION = "v " + Frame.VERSION + " (or no v)";

    // Enum constants as written on the wire, indexed by ordinal: built once, as encoding runs hot.
    static final String[] MEMBER_OPS = wireNames(MemberOp.values());
    static final String[] VIAS = wireNames(Via.values());
    static final String[] RECEIPT_STATES = wireNames(ReceiptState.values());
    static final String[] PRESENCE_STATES = wireNames(PresenceState.values());
    static final String[] ERROR_CODES = wireNames(ErrorCode.values());

    static final String MEMBER_OP = oneOf(MEMBER_OPS);
    static final String VIA = oneOf(VIAS);
    static final String RECEIPT_STATE = oneOf(RECEIPT_STATES);
    static final String PRESENCE_STATE = oneOf(PRESENCE_STATES);
    static final String ERROR_CODE = oneOf(ERROR_CODES);

    /** Every frame type of this version, in the order the documentation lists them. */
    static final String[] TYPES = {
        "hello", "send", "delivered", "read", "typing", "sync", "membership", "left", "watch", "ping",
        "welcome", "ack", "fail", "deliver", "receipt", "typing-notice", "presence", "sync-done",
        "notify", "pong", "error"
    };
    static final String TYPE = oneOf(TYPES);

    /** Longest piece of a received value quoted back in an error message. */
    private static final int QUOTE_CHARS_MAX = 40;

    private WireRules() {
    }

    static boolean isId(String value) {
        return value != null && !value.isEmpty();
    }

    static boolean isSeq(long value) {
        return value >= 1;
    }

    static boolean isCursor(long value) {
        return value >= 0;
    }

    static boolean isLimit(long value) {
        return value >= 1 && value <= SYNC_LIMIT_MAX;
    }

    /** "field 'seq' of 'ack': expected a positive integer, got 0". */
    static String badField(String path, String type, String expected, String got) {
        return "field '" + path + "'" + ofType(type) + ": expected " + expected + ", got " + got;
    }

    /** "field 'seq' of 'ack' is missing: expected a positive integer". */
    static String missingField(String path, String type, String expected) {
        return "field '" + path + "'" + ofType(type) + " is missing: expected " + expected;
    }

    /** "field 'seq' of 'ack' appears more than once: expected it once". */
    static String repeatedField(String path, String type) {
        return "field '" + path + "'" + ofType(type) + " appears more than once: expected it once";
    }

    private static String ofType(String type) {
        return type == null ? "" : " of '" + type + "'";
    }

    /** A received string as an error message shows it: quoted, and cut short when long. */
    static String quote(String text) {
        if (text.isEmpty()) {
            return "an empty string";
        }
        return "\"" + abbreviate(text) + "\"";
    }

    /** Cuts {@code text} to a length fit for a message, never between the two halves of a surrogate pair. */
    static String abbreviate(String text) {
        if (text.length() <= QUOTE_CHARS_MAX) {
            return text;
        }
        int end = QUOTE_CHARS_MAX;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }

    /** The constant whose wire name is {@code text}, or null. */
    static <E extends Enum<E>> E parse(E[] constants, String[] wires, String text) {
        for (int i = 0; i < wires.length; i++) {
            if (wires[i].equals(text)) {
                return constants[i];
            }
        }
        return null;
    }

    private static <E extends Enum<E>> String[] wireNames(E[] constants) {
        String[] names = new String[constants.length];
        for (E constant : constants) {
            names[constant.ordinal()] = constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return names;
    }

    private static String oneOf(String[] choices) {
        StringJoiner joined = new StringJoiner("', '", "one of '", "'");
        for (String choice : choices) {
            joined.add(choice);
        }
        return joined.toString();
    }
}
