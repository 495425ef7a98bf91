package dev.chatlab.core.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.util.List;

import static dev.chatlab.core.protocol.WireField.*;

/**
 * Writes a {@link Frame} as one JSON object: {@code v} and {@code type} first, then the type's
 * fields in the order its record declares them, optional fields left out when absent. The same
 * frame always gives the same text.
 *
 * <p>A frame that breaks a rule the decoder enforces (an empty id, a seq below 1, a missing body)
 * is refused with an {@link IllegalArgumentException} that names the field: a peer would refuse
 * it anyway, and the sender's bug is easier to find where it happens.
 *
 * <pre>{@code
 * try (JsonGenerator g = jsonFactory.createGenerator(writer)) {
 *     FrameEncoder.write(g, new Frame.Ack("c1", "m-1", 42));
 * }
 * }</pre>
 */
final class FrameEncoder {

    private static final SerializableString LAST_SEQ = new SerializedString("last_seq");

    private FrameEncoder() {
    }

    static void write(JsonGenerator g, Frame frame) throws IOException {
        String type = frame.type();
        g.writeStartObject();
        g.writeFieldName(V.serialized);
        g.writeNumber(Frame.VERSION);
        g.writeFieldName(TYPE.serialized);
        g.writeString(type);
        // Most frequent first: a deliver per member per message, then the device's own traffic.
        if (frame instanceof Frame.Deliver d) {
            id(g, type, CHAT, d.chat());
            seq(g, type, SEQ, d.seq());
            id(g, type, CMID, d.cmid());
            id(g, type, FROM, d.from());
            text(g, type, BODY, d.body());
            if (d.via() != null) {
                enumerated(g, type, VIA, d.via(), WireRules.VIAS, WireRules.VIA);
            }
        } else if (frame instanceof Frame.Send s) {
            id(g, type, CHAT, s.chat());
            id(g, type, CMID, s.cmid());
            text(g, type, BODY, s.body());
        } else if (frame instanceof Frame.Ack a) {
            id(g, type, CHAT, a.chat());
            id(g, type, CMID, a.cmid());
            seq(g, type, SEQ, a.seq());
        } else if (frame instanceof Frame.Delivered d) {
            id(g, type, CHAT, d.chat());
            seq(g, type, SEQ, d.seq());
        } else if (frame instanceof Frame.Read r) {
            id(g, type, CHAT, r.chat());
            seq(g, type, SEQ, r.seq());
        } else if (frame instanceof Frame.Receipt r) {
            id(g, type, CHAT, r.chat());
            id(g, type, BY, r.by());
            enumerated(g, type, STATE, r.state(), WireRules.RECEIPT_STATES, WireRules.RECEIPT_STATE);
            seq(g, type, SEQ, r.seq());
        } else if (frame instanceof Frame.Typing t) {
            id(g, type, CHAT, t.chat());
        } else if (frame instanceof Frame.TypingNotice t) {
            id(g, type, CHAT, t.chat());
            id(g, type, FROM, t.from());
        } else if (frame instanceof Frame.Ping p) {
            integer(g, NONCE, p.nonce());
        } else if (frame instanceof Frame.Pong p) {
            integer(g, NONCE, p.nonce());
        } else if (frame instanceof Frame.Notify n) {
            id(g, type, CHAT, n.chat());
            seq(g, type, SEQ, n.seq());
        } else if (frame instanceof Frame.PresenceNotice p) {
            id(g, type, ABOUT, p.about());
            enumerated(g, type, STATE, p.state(), WireRules.PRESENCE_STATES, WireRules.PRESENCE_STATE);
            lastSeen(g, type, p.lastSeenMicros());
        } else if (frame instanceof Frame.Sync s) {
            id(g, type, CHAT, s.chat());
            cursor(g, type, AFTER_SEQ, s.afterSeq());
            limit(g, type, s.limit());
        } else if (frame instanceof Frame.SyncDone s) {
            id(g, type, CHAT, s.chat());
            cursor(g, type, UP_TO_SEQ, s.upToSeq());
            g.writeFieldName(MORE.serialized);
            g.writeBoolean(s.more());
        } else if (frame instanceof Frame.Hello h) {
            id(g, type, USER, h.user());
            id(g, type, DEVICE, h.device());
            if (h.token() != null) {
                text(g, type, TOKEN, h.token());
            }
        } else if (frame instanceof Frame.Welcome w) {
            id(g, type, NODE, w.node());
            id(g, type, SESSION, w.session());
            chats(g, type, w.chats());
        } else if (frame instanceof Frame.Membership m) {
            id(g, type, CHAT, m.chat());
            id(g, type, USER, m.user());
            enumerated(g, type, OP, m.op(), WireRules.MEMBER_OPS, WireRules.MEMBER_OP);
        } else if (frame instanceof Frame.Left l) {
            id(g, type, CHAT, l.chat());
        } else if (frame instanceof Frame.Watch w) {
            users(g, type, w.users());
        } else if (frame instanceof Frame.Fail f) {
            id(g, type, CHAT, f.chat());
            id(g, type, CMID, f.cmid());
            enumerated(g, type, CODE, f.code(), WireRules.ERROR_CODES, WireRules.ERROR_CODE);
            text(g, type, REASON, f.reason());
        } else if (frame instanceof Frame.Error e) {
            enumerated(g, type, CODE, e.code(), WireRules.ERROR_CODES, WireRules.ERROR_CODE);
            text(g, type, MESSAGE, e.message());
            if (e.chat() != null) {
                id(g, type, CHAT, e.chat());
            }
            if (e.cmid() != null) {
                id(g, type, CMID, e.cmid());
            }
        } else {
            throw new IllegalArgumentException("cannot encode a frame of " + frame.getClass().getName());
        }
        g.writeEndObject();
    }

    private static void id(JsonGenerator g, String type, WireField field, String value) throws IOException {
        if (!WireRules.isId(value)) {
            throw refuse(field.wire, type, WireRules.ID, value == null ? "null" : WireRules.quote(value));
        }
        g.writeFieldName(field.serialized);
        g.writeString(value);
    }

    private static void text(JsonGenerator g, String type, WireField field, String value) throws IOException {
        if (value == null) {
            throw refuse(field.wire, type, WireRules.TEXT, "null");
        }
        g.writeFieldName(field.serialized);
        g.writeString(value);
    }

    private static void seq(JsonGenerator g, String type, WireField field, long value) throws IOException {
        if (!WireRules.isSeq(value)) {
            throw refuse(field.wire, type, WireRules.SEQ, Long.toString(value));
        }
        integer(g, field, value);
    }

    private static void cursor(JsonGenerator g, String type, WireField field, long value) throws IOException {
        if (!WireRules.isCursor(value)) {
            throw refuse(field.wire, type, WireRules.CURSOR, Long.toString(value));
        }
        integer(g, field, value);
    }

    private static void limit(JsonGenerator g, String type, int value) throws IOException {
        if (!WireRules.isLimit(value)) {
            throw refuse(LIMIT.wire, type, WireRules.LIMIT, Integer.toString(value));
        }
        integer(g, LIMIT, value);
    }

    /** {@code last_seen} is left out when unknown (-1); other negative values are a bug. */
    private static void lastSeen(JsonGenerator g, String type, long value) throws IOException {
        if (value == -1) {
            return;
        }
        if (!WireRules.isCursor(value)) {
            throw refuse(LAST_SEEN.wire, type, WireRules.LAST_SEEN + " (-1 in the frame)", Long.toString(value));
        }
        integer(g, LAST_SEEN, value);
    }

    private static void integer(JsonGenerator g, WireField field, long value) throws IOException {
        g.writeFieldName(field.serialized);
        g.writeNumber(value);
    }

    private static <E extends Enum<E>> void enumerated(JsonGenerator g, String type, WireField field, E value,
            String[] wires, String expected) throws IOException {
        if (value == null) {
            throw refuse(field.wire, type, expected, "null");
        }
        g.writeFieldName(field.serialized);
        g.writeString(wires[value.ordinal()]);
    }

    private static void users(JsonGenerator g, String type, List<String> users) throws IOException {
        g.writeFieldName(USERS.serialized);
        g.writeStartArray();
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            if (!WireRules.isId(user)) {
                throw refuse("users[" + i + "]", type, WireRules.ID, WireRules.quote(user));
            }
            g.writeString(user);
        }
        g.writeEndArray();
    }

    private static void chats(JsonGenerator g, String type, List<Frame.ChatHead> chats) throws IOException {
        g.writeFieldName(CHATS.serialized);
        g.writeStartArray();
        for (int i = 0; i < chats.size(); i++) {
            Frame.ChatHead head = chats.get(i);
            if (!WireRules.isId(head.chat())) {
                String got = head.chat() == null ? "null" : WireRules.quote(head.chat());
                throw refuse("chats[" + i + "].chat", type, WireRules.ID, got);
            }
            if (!WireRules.isCursor(head.lastSeq())) {
                throw refuse("chats[" + i + "].last_seq", type, WireRules.CURSOR, Long.toString(head.lastSeq()));
            }
            g.writeStartObject();
            g.writeFieldName(CHAT.serialized);
            g.writeString(head.chat());
            g.writeFieldName(LAST_SEQ);
            g.writeNumber(head.lastSeq());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static IllegalArgumentException refuse(String path, String type, String expected, String got) {
        return new IllegalArgumentException("cannot encode: " + WireRules.badField(path, type, expected, got));
    }
}
