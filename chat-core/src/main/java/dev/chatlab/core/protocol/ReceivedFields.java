package dev.chatlab.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The known fields of one received frame, gathered in a single pass before the frame's type is
 * known (JSON does not order fields, so {@code type} may come last), then read back as typed,
 * checked values once the decoder knows which fields that type needs.
 *
 * <pre>{@code
 * ReceivedFields fields = new ReceivedFields();
 * fields.read(parser);                      // parser just past the frame's '{'
 * String type = fields.type();              // MISSING_FIELD / BAD_FIELD when absent or not a string
 * long seq = fields.seq(WireField.SEQ);     // BAD_FIELD naming 'seq' of 'ack' when below 1
 * }</pre>
 *
 * <p>Gathering never judges a value: a field the type does not use is ignored whatever it holds,
 * as an unknown field would be. Judging happens in the typed getters, which throw a
 * {@link Rejection} whose message names the field, the frame type, what was expected and what came.
 */
final class ReceivedFields {

    /**
     * A problem found inside an array field while gathering, reported only if the type uses the
     * field. {@code got} is null for a missing field (told by the code) and for a repeated one.
     */
    private record Problem(ErrorCode code, String path, String expected, String got) {
        Rejection reject(String type) {
            String message = code == ErrorCode.MISSING_FIELD
                    ? WireRules.missingField(path, type, expected)
                    : got == null ? WireRules.repeatedField(path, type) : WireRules.badField(path, type, expected, got);
            return new Rejection(code, message);
        }
    }

    private static final String CHAT_HEAD_CHAT = "chat";
    private static final String CHAT_HEAD_LAST_SEQ = "last_seq";

    // One slot per WireField: the JSON token (null when absent), its text (strings, and numbers
    // that do not fit a long) and its value as a long (integers that fit).
    private final JsonToken[] tokens = new JsonToken[WireField.COUNT];
    private final String[] texts = new String[WireField.COUNT];
    private final long[] numbers = new long[WireField.COUNT];
    // Bit sets over WireField ordinals (fewer than 64 fields).
    private long oversized;
    private long repeated;

    private List<String> users;
    private Problem usersProblem;
    private List<Frame.ChatHead> chats;
    private Problem chatsProblem;

    /** The type, once {@link #type()} has read it; named in every message after that. */
    private String type;

    // ---- gathering ----------------------------------------------------------------------------

    /** Reads fields up to the end of the current object; the parser must be just past its '{'. */
    void read(JsonParser p) throws IOException, Rejection {
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            WireField field = WireField.of(p.currentName());
            JsonToken value = p.nextToken();
            if (field == null) {
                // Unknown field, maybe from a newer peer: skip its value, nested or not.
                p.skipChildren();
            } else {
                take(field, value, p);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new Rejection(ErrorCode.BAD_JSON, "malformed JSON: the frame's object is not closed");
        }
    }

    private void take(WireField field, JsonToken value, JsonParser p) throws IOException {
        int i = field.ordinal();
        long bit = 1L << i;
        if (tokens[i] != null) {
            repeated |= bit;
        }
        tokens[i] = value;
        texts[i] = null;
        oversized &= ~bit;
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_FLOAT) {
            texts[i] = p.getText();
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                oversized |= bit;
                texts[i] = p.getText();
            } else {
                numbers[i] = p.getLongValue();
            }
        } else if (value == JsonToken.START_ARRAY && field == WireField.USERS) {
            readUsers(p);
        } else if (value == JsonToken.START_ARRAY && field == WireField.CHATS) {
            readChats(p);
        } else if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
            p.skipChildren();
        }
    }

    private void readUsers(JsonParser p) throws IOException {
        users = new ArrayList<>();
        usersProblem = null;
        JsonToken token;
        for (int index = 0; (token = p.nextToken()) != JsonToken.END_ARRAY && token != null; index++) {
            if (usersProblem == null) {
                if (token == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
                    users.add(p.getText());
                } else {
                    usersProblem = new Problem(ErrorCode.BAD_FIELD, "users[" + index + "]", WireRules.ID, describe(token, p));
                }
            }
            p.skipChildren();
        }
    }

    private void readChats(JsonParser p) throws IOException {
        chats = new ArrayList<>();
        chatsProblem = null;
        JsonToken token;
        for (int index = 0; (token = p.nextToken()) != JsonToken.END_ARRAY && token != null; index++) {
            if (token == JsonToken.START_OBJECT) {
                readChatHead(p, index);
            } else {
                if (chatsProblem == null) {
                    chatsProblem = new Problem(ErrorCode.BAD_FIELD, "chats[" + index + "]", WireRules.OBJECT, describe(token, p));
                }
                p.skipChildren();
            }
        }
    }

    /** Reads one {"chat", "last_seq"} element; keeps the first problem of the whole array. */
    private void readChatHead(JsonParser p, int index) throws IOException {
        String chat = null;
        long lastSeq = -1;
        Problem problem = null;
        boolean chatSeen = false;
        boolean lastSeqSeen = false;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (problem == null && CHAT_HEAD_CHAT.equals(name)) {
                String path = "chats[" + index + "].chat";
                if (chatSeen) {
                    problem = new Problem(ErrorCode.BAD_FIELD, path, WireRules.ID, null);
                } else if (value == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
                    chat = p.getText();
                } else {
                    problem = new Problem(ErrorCode.BAD_FIELD, path, WireRules.ID, describe(value, p));
                }
                chatSeen = true;
            } else if (problem == null && CHAT_HEAD_LAST_SEQ.equals(name)) {
                String path = "chats[" + index + "].last_seq";
                if (lastSeqSeen) {
                    problem = new Problem(ErrorCode.BAD_FIELD, path, WireRules.CURSOR, null);
                } else if (value == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        && WireRules.isCursor(p.getLongValue())) {
                    lastSeq = p.getLongValue();
                } else {
                    problem = new Problem(ErrorCode.BAD_FIELD, path, WireRules.CURSOR, describe(value, p));
                }
                lastSeqSeen = true;
            }
            p.skipChildren();
        }
        if (token != JsonToken.END_OBJECT || chatsProblem != null) {
            return; // a syntax error surfaces from the caller's loop; only the first problem is kept
        }
        if (problem == null && !chatSeen) {
            problem = new Problem(ErrorCode.MISSING_FIELD, "chats[" + index + "].chat", WireRules.ID, null);
        } else if (problem == null && !lastSeqSeen) {
            problem = new Problem(ErrorCode.MISSING_FIELD, "chats[" + index + "].last_seq", WireRules.CURSOR, null);
        }
        if (problem != null) {
            chatsProblem = problem;
        } else {
            chats.add(new Frame.ChatHead(chat, lastSeq));
        }
    }

    /** How an error message shows the value at the parser's current token. */
    static String describe(JsonToken token, JsonParser p) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            boolean big = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
            return describe(token, p.getText(), big ? 0 : p.getLongValue(), big);
        }
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return describe(token, p.getText(), 0, false);
        }
        return describe(token, null, 0, false);
    }

    private static String describe(JsonToken token, String text, long number, boolean oversized) {
        if (token == JsonToken.VALUE_STRING) {
            return WireRules.quote(text);
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return oversized ? WireRules.abbreviate(text) + " (too large for a 64-bit integer)" : Long.toString(number);
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return WireRules.abbreviate(text) + " (not an integer)";
        }
        if (token == JsonToken.VALUE_TRUE) {
            return "true";
        }
        if (token == JsonToken.VALUE_FALSE) {
            return "false";
        }
        if (token == JsonToken.VALUE_NULL) {
            return "null";
        }
        if (token == JsonToken.START_OBJECT) {
            return "an object";
        }
        if (token == JsonToken.START_ARRAY) {
            return "an array";
        }
        return String.valueOf(token);
    }

    // ---- judging --------------------------------------------------------------------------------

    /** Checks {@code v}: absent means version 1, anything but the integer 1 is refused. */
    void checkVersion() throws Rejection {
        int i = WireField.V.ordinal();
        JsonToken token = tokens[i];
        if (token == null) {
            return;
        }
        if (isRepeated(WireField.V)) {
            throw new Rejection(ErrorCode.BAD_FIELD, WireRules.repeatedField("v", null));
        }
        if (token != JsonToken.VALUE_NUMBER_INT || isOversized(i) || numbers[i] != Frame.VERSION) {
            throw new Rejection(ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + got(i) + " is not supported: expected " + WireRules.VERSION);
        }
    }

    /** The frame's type; from here on every message names it. Whether the type is known is the caller's to say. */
    String type() throws Rejection {
        int i = WireField.TYPE.ordinal();
        if (tokens[i] == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, WireRules.missingField("type", null, WireRules.TYPE));
        }
        if (isRepeated(WireField.TYPE)) {
            throw new Rejection(ErrorCode.BAD_FIELD, WireRules.repeatedField("type", null));
        }
        if (tokens[i] != JsonToken.VALUE_STRING) {
            throw new Rejection(ErrorCode.BAD_FIELD, WireRules.badField("type", null, "a string, " + WireRules.TYPE, got(i)));
        }
        type = texts[i];
        return type;
    }

    String id(WireField field) throws Rejection {
        String value = text(field, WireRules.ID);
        if (value.isEmpty()) {
            throw bad(field, WireRules.ID);
        }
        return value;
    }

    String text(WireField field) throws Rejection {
        return text(field, WireRules.TEXT);
    }

    private String text(WireField field, String expected) throws Rejection {
        required(field, expected);
        if (tokens[field.ordinal()] != JsonToken.VALUE_STRING) {
            throw bad(field, expected);
        }
        return texts[field.ordinal()];
    }

    /** An id that may be absent or null; null then. */
    String optionalId(WireField field) throws Rejection {
        return isAbsentOrNull(field) ? null : id(field);
    }

    /** A string that may be absent or null; null then. */
    String optionalText(WireField field) throws Rejection {
        if (isAbsentOrNull(field)) {
            return null;
        }
        return text(field, WireRules.TEXT);
    }

    long seq(WireField field) throws Rejection {
        long value = integer(field, WireRules.SEQ);
        if (!WireRules.isSeq(value)) {
            throw bad(field, WireRules.SEQ);
        }
        return value;
    }

    long cursor(WireField field) throws Rejection {
        long value = integer(field, WireRules.CURSOR);
        if (!WireRules.isCursor(value)) {
            throw bad(field, WireRules.CURSOR);
        }
        return value;
    }

    long anyLong(WireField field) throws Rejection {
        return integer(field, WireRules.LONG);
    }

    int limit(WireField field) throws Rejection {
        long value = integer(field, WireRules.LIMIT);
        if (!WireRules.isLimit(value)) {
            throw bad(field, WireRules.LIMIT);
        }
        return (int) value;
    }

    /** {@code last_seen}: absent or null means unknown (-1), otherwise a non-negative integer. */
    long lastSeen(WireField field) throws Rejection {
        if (isAbsentOrNull(field)) {
            return -1;
        }
        long value = integer(field, WireRules.LAST_SEEN);
        if (!WireRules.isCursor(value)) {
            throw bad(field, WireRules.LAST_SEEN);
        }
        return value;
    }

    private long integer(WireField field, String expected) throws Rejection {
        required(field, expected);
        int i = field.ordinal();
        if (tokens[i] != JsonToken.VALUE_NUMBER_INT || isOversized(i)) {
            throw bad(field, expected);
        }
        return numbers[i];
    }

    boolean bool(WireField field) throws Rejection {
        required(field, WireRules.BOOLEAN);
        JsonToken token = tokens[field.ordinal()];
        if (token == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw bad(field, WireRules.BOOLEAN);
    }

    /** An enumerated field: one of {@code wires}, the wire names of {@code constants} by ordinal. */
    <E extends Enum<E>> E choice(WireField field, E[] constants, String[] wires, String expected) throws Rejection {
        String text = text(field, expected);
        E value = WireRules.parse(constants, wires, text);
        if (value == null) {
            throw bad(field, expected);
        }
        return value;
    }

    /** An enumerated field that may be absent or null; null then. */
    <E extends Enum<E>> E optionalChoice(WireField field, E[] constants, String[] wires, String expected) throws Rejection {
        if (isAbsentOrNull(field)) {
            return null;
        }
        return choice(field, constants, wires, expected);
    }

    List<String> users(WireField field) throws Rejection {
        required(field, WireRules.USERS);
        if (tokens[field.ordinal()] != JsonToken.START_ARRAY) {
            throw bad(field, WireRules.USERS);
        }
        if (usersProblem != null) {
            throw usersProblem.reject(type);
        }
        return users;
    }

    List<Frame.ChatHead> chats(WireField field) throws Rejection {
        required(field, WireRules.CHATS);
        if (tokens[field.ordinal()] != JsonToken.START_ARRAY) {
            throw bad(field, WireRules.CHATS);
        }
        if (chatsProblem != null) {
            throw chatsProblem.reject(type);
        }
        return chats;
    }

    private void required(WireField field, String expected) throws Rejection {
        if (tokens[field.ordinal()] == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, WireRules.missingField(field.wire, type, expected));
        }
        if (isRepeated(field)) {
            throw new Rejection(ErrorCode.BAD_FIELD, WireRules.repeatedField(field.wire, type));
        }
    }

    /** For optional fields: true when absent or null; a repeated field is refused even if null. */
    private boolean isAbsentOrNull(WireField field) throws Rejection {
        JsonToken token = tokens[field.ordinal()];
        if (token != null && isRepeated(field)) {
            throw new Rejection(ErrorCode.BAD_FIELD, WireRules.repeatedField(field.wire, type));
        }
        return token == null || token == JsonToken.VALUE_NULL;
    }

    private Rejection bad(WireField field, String expected) {
        return new Rejection(ErrorCode.BAD_FIELD, WireRules.badField(field.wire, type, expected, got(field.ordinal())));
    }

    private String got(int i) {
        return describe(tokens[i], texts[i], numbers[i], isOversized(i));
    }

    private boolean isRepeated(WireField field) {
        return (repeated & (1L << field.ordinal())) != 0;
    }

    private boolean isOversized(int i) {
        return (oversized & (1L << i)) != 0;
    }
}
