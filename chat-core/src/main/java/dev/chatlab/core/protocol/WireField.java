package dev.chatlab.core.protocol;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Every top-level field name a frame of this protocol version may carry, as written on the wire.
 * The decoder keeps one slot per constant ({@link #ordinal()}), so a frame is read in one pass
 * whatever order its fields come in, and names no constant lists are skipped unread.
 *
 * <pre>{@code
 * WireField field = WireField.of("after_seq");   // AFTER_SEQ; null for a name the protocol does not know
 * }</pre>
 */
enum WireField {
    V("v"), TYPE("type"),
    USER("user"), DEVICE("device"), TOKEN("token"), CHAT("chat"), CMID("cmid"), BODY("body"),
    SEQ("seq"), AFTER_SEQ("after_seq"), LIMIT("limit"), OP("op"), USERS("users"), NONCE("nonce"),
    NODE("node"), SESSION("session"), CHATS("chats"), CODE("code"), REASON("reason"), FROM("from"),
    VIA("via"), BY("by"), STATE("state"), ABOUT("about"), LAST_SEEN("last_seen"),
    UP_TO_SEQ("up_to_seq"), MORE("more"), MESSAGE("message");

    /** How many slots a decoder needs. */
    static final int COUNT = values().length;

    final String wire;

    /** The name quoted and escaped once, so the encoder copies it instead of escaping it per frame. */
    final SerializableString serialized;

    WireField(String wire) {
        this.wire = wire;
        this.serialized = new SerializedString(wire);
    }

    /** The field of this name, or null when the protocol does not know it (the frame may come from a newer peer). */
    static WireField of(String name) {
        // A switch on a string hashes once; the decoder calls this for every field of every frame.
        switch (name) {
            case "v": return V;
            case "type": return TYPE;
            case "user": return USER;
            case "device": return DEVICE;
            case "token": return TOKEN;
            case "chat": return CHAT;
            case "cmid": return CMID;
            case "body": return BODY;
            case "seq": return SEQ;
            case "after_seq": return AFTER_SEQ;
            case "limit": return LIMIT;
            case "op": return OP;
            case "users": return USERS;
            case "nonce": return NONCE;
            case "node": return NODE;
            case "session": return SESSION;
            case "chats": return CHATS;
            case "code": return CODE;
            case "reason": return REASON;
            case "from": return FROM;
            case "via": return VIA;
            case "by": return BY;
            case "state": return STATE;
            case "about": return ABOUT;
            case "last_seen": return LAST_SEEN;
            case "up_to_seq": return UP_TO_SEQ;
            case "more": return MORE;
            case "message": return MESSAGE;
            default: return null;
        }
    }
}
