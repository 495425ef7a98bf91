package dev.chatlab.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;

import java.io.IOException;
import java.util.regex.Pattern;

import static dev.chatlab.core.protocol.WireField.*;

/**
 * Turns the text of one frame into a {@link Frame}, or a {@link Rejection} that says what was
 * wrong. The checks come in a fixed order, so one bad frame always gets the same answer: JSON
 * syntax (the whole text), then {@code v}, then {@code type}, then the type's fields in the order
 * the frame's record declares them.
 *
 * <pre>{@code
 * Frame frame = new FrameDecoder(jsonFactory).decode("{\"v\":1,\"type\":\"ping\",\"nonce\":7}");
 * }</pre>
 */
final class FrameDecoder {

    private static final MemberOp[] MEMBER_OPS = MemberOp.values();
    private static final Via[] VIAS = Via.values();
    private static final ReceiptState[] RECEIPT_STATES = ReceiptState.values();
    private static final PresenceState[] PRESENCE_STATES = PresenceState.values();
    private static final ErrorCode[] ERROR_CODES = ErrorCode.values();

    // Parts of the JSON library's messages that speak of its internals, not of the frame.
    private static final Pattern LIBRARY_DETAIL = Pattern.compile(" \\(start marker at .*$|, from `[^`]*`");

    private final JsonFactory json;

    FrameDecoder(JsonFactory json) {
        this.json = json;
    }

    Frame decode(String text) throws Rejection {
        ReceivedFields fields = parse(text);
        fields.checkVersion();
        return build(fields.type(), fields);
    }

    private ReceivedFields parse(String text) throws Rejection {
        ReceivedFields fields = new ReceivedFields();
        try (JsonParser p = json.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new Rejection(ErrorCode.BAD_JSON, "empty frame: expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new Rejection(ErrorCode.BAD_JSON,
                        "expected a JSON object, got " + ReceivedFields.describe(first, p));
            }
            fields.read(p);
            requireNothingAfter(p);
        } catch (JsonProcessingException e) {
            throw new Rejection(ErrorCode.BAD_JSON, "malformed JSON" + where(e.getLocation()) + ": "
                    + LIBRARY_DETAIL.matcher(String.valueOf(e.getOriginalMessage())).replaceAll(""));
        } catch (IOException e) {
            throw new Rejection(ErrorCode.BAD_JSON, "unreadable frame: " + e.getMessage());
        }
        return fields;
    }

    private static void requireNothingAfter(JsonParser p) throws Rejection, IOException {
        JsonToken after;
        try {
            after = p.nextToken();
        } catch (JsonProcessingException e) {
            after = JsonToken.NOT_AVAILABLE;
        }
        if (after != null) {
            throw new Rejection(ErrorCode.BAD_JSON,
                    "unexpected text after the JSON object: a frame holds exactly one object");
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getColumnNr() < 1) {
            return "";
        }
        if (location.getLineNr() > 1) {
            return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        }
        return " at column " + location.getColumnNr();
    }

    // Arguments are evaluated left to right, so the first bad field in record order is the one reported.
    private static Frame build(String type, ReceivedFields f) throws Rejection {
        switch (type) {
            case "hello":
                return new Frame.Hello(f.id(USER), f.id(DEVICE), f.optionalText(TOKEN));
            case "send":
                return new Frame.Send(f.id(CHAT), f.id(CMID), f.text(BODY));
            case "delivered":
                return new Frame.Delivered(f.id(CHAT), f.seq(SEQ));
            case "read":
                return new Frame.Read(f.id(CHAT), f.seq(SEQ));
            case "typing":
                return new Frame.Typing(f.id(CHAT));
            case "sync":
                return new Frame.Sync(f.id(CHAT), f.cursor(AFTER_SEQ), f.limit(LIMIT));
            case "membership":
                return new Frame.Membership(f.id(CHAT), f.id(USER),
                        f.choice(OP, MEMBER_OPS, WireRules.MEMBER_OPS, WireRules.MEMBER_OP));
            case "left":
                return new Frame.Left(f.id(CHAT));
            case "watch":
                return new Frame.Watch(f.users(USERS));
            case "ping":
                return new Frame.Ping(f.anyLong(NONCE));
            case "welcome":
                return new Frame.Welcome(f.id(NODE), f.id(SESSION), f.chats(CHATS));
            case "ack":
                return new Frame.Ack(f.id(CHAT), f.id(CMID), f.seq(SEQ));
            case "fail":
                return new Frame.Fail(f.id(CHAT), f.id(CMID),
                        f.choice(CODE, ERROR_CODES, WireRules.ERROR_CODES, WireRules.ERROR_CODE), f.text(REASON));
            case "deliver":
                return new Frame.Deliver(f.id(CHAT), f.seq(SEQ), f.id(CMID), f.id(FROM), f.text(BODY),
                        f.optionalChoice(VIA, VIAS, WireRules.VIAS, WireRules.VIA));
            case "receipt":
                return new Frame.Receipt(f.id(CHAT), f.id(BY),
                        f.choice(STATE, RECEIPT_STATES, WireRules.RECEIPT_STATES, WireRules.RECEIPT_STATE), f.seq(SEQ));
            case "typing-notice":
                return new Frame.TypingNotice(f.id(CHAT), f.id(FROM));
            case "presence":
                return new Frame.PresenceNotice(f.id(ABOUT),
                        f.choice(STATE, PRESENCE_STATES, WireRules.PRESENCE_STATES, WireRules.PRESENCE_STATE),
                        f.lastSeen(LAST_SEEN));
            case "sync-done":
                return new Frame.SyncDone(f.id(CHAT), f.cursor(UP_TO_SEQ), f.bool(MORE));
            case "notify":
                return new Frame.Notify(f.id(CHAT), f.seq(SEQ));
            case "pong":
                return new Frame.Pong(f.anyLong(NONCE));
            case "error":
                return new Frame.Error(f.choice(CODE, ERROR_CODES, WireRules.ERROR_CODES, WireRules.ERROR_CODE),
                        f.text(MESSAGE), f.optionalId(CHAT), f.optionalId(CMID));
            default:
                throw new Rejection(ErrorCode.UNKNOWN_TYPE,
                        WireRules.badField("type", null, WireRules.TYPE, WireRules.quote(type)));
        }
    }
}
