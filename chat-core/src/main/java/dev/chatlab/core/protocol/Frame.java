package dev.chatlab.core.protocol;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;

import java.util.List;

/**
 * A frame of the chat wire protocol (v{@value #VERSION}): one JSON WebSocket text frame, decoded.
 * {@link FrameCodec} turns text into frames and back; {@code docs/protocol.md} documents each one.
 *
 * <p>Frames a device sends: {@link Hello}, {@link Send}, {@link Delivered}, {@link Read},
 * {@link Typing}, {@link Sync}, {@link Membership}, {@link Left}, {@link Watch}, {@link Ping}. Frames a server
 * sends: {@link Welcome}, {@link Membership} (a notice that the device's user joined or left a chat), {@link Ack}, {@link Fail}, {@link Deliver}, {@link Receipt},
 * {@link TypingNotice}, {@link PresenceNotice}, {@link SyncDone}, {@link Notify}, {@link Pong},
 * {@link Error}.
 */
public sealed interface Frame {

    /** The protocol version this code speaks. */
    int VERSION = 1;

    /** The frame's {@code type} on the wire. */
    String type();

    // ---- device to server -------------------------------------------------------------------

    /** Opens a session: who the device is, and its credential ({@code token} may be null where the host does not authenticate). */
    record Hello(String user, String device, String token) implements Frame {
        public String type() { return "hello"; }
    }

    /** Asks to send {@code body} to {@code chat}; {@code cmid} is the idempotency key, unique per sending user. */
    record Send(String chat, String cmid, String body) implements Frame {
        public String type() { return "send"; }
    }

    /** This device has displayed every message of {@code chat} up to {@code seq} (cumulative). */
    record Delivered(String chat, long seq) implements Frame {
        public String type() { return "delivered"; }
    }

    /** The user has read {@code chat} up to {@code seq} on this device (cumulative). */
    record Read(String chat, long seq) implements Frame {
        public String type() { return "read"; }
    }

    /** The user is typing in {@code chat}. Ephemeral: relayed, never stored. */
    record Typing(String chat) implements Frame {
        public String type() { return "typing"; }
    }

    /** Asks for the messages of {@code chat} after {@code afterSeq}, at most {@code limit} of them. */
    record Sync(String chat, long afterSeq, int limit) implements Frame {
        public String type() { return "sync"; }
    }

    /** Adds {@code user} to, or removes it from, {@code chat}. */
    record Membership(String chat, String user, MemberOp op) implements Frame {
        public String type() { return "membership"; }
    }

    /** Confirms a removal notice: this device no longer shows {@code chat} and will not display its messages. */
    record Left(String chat) implements Frame {
        public String type() { return "left"; }
    }

    /** Asks to be told the presence of these users, now and whenever it changes. */
    record Watch(List<String> users) implements Frame {
        public Watch {
            users = List.copyOf(users);
        }
        public String type() { return "watch"; }
    }

    /** Heartbeat; keeps the device's presence alive. */
    record Ping(long nonce) implements Frame {
        public String type() { return "ping"; }
    }

    // ---- server to device -------------------------------------------------------------------

    /** The session is open on {@code node}; {@code chats} lists the user's chats with their newest seq, so the device knows what to sync. */
    record Welcome(String node, String session, List<ChatHead> chats) implements Frame {
        public Welcome {
            chats = List.copyOf(chats);
        }
        public String type() { return "welcome"; }
    }

    /** A chat the user belongs to and the newest seq in it (0 when empty). */
    record ChatHead(String chat, long lastSeq) {
    }

    /** Message {@code cmid} is durable with sequence {@code seq}. */
    record Ack(String chat, String cmid, long seq) implements Frame {
        public String type() { return "ack"; }
    }

    /** Message {@code cmid} was refused and will never exist. */
    record Fail(String chat, String cmid, ErrorCode code, String reason) implements Frame {
        public String type() { return "fail"; }
    }

    /** A message of {@code chat}; {@code via} says whether it was pushed or came from a sync. */
    record Deliver(String chat, long seq, String cmid, String from, String body, Via via) implements Frame {
        public String type() { return "deliver"; }
    }

    /** User {@code by} has reached {@code state} for every message of {@code chat} up to {@code seq}. */
    record Receipt(String chat, String by, ReceiptState state, long seq) implements Frame {
        public String type() { return "receipt"; }
    }

    /** {@code from} is typing in {@code chat}. */
    record TypingNotice(String chat, String from) implements Frame {
        public String type() { return "typing-notice"; }
    }

    /** {@code about} is online or offline; {@code lastSeenMicros} is -1 when unknown. */
    record PresenceNotice(String about, PresenceState state, long lastSeenMicros) implements Frame {
        public String type() { return "presence"; }
    }

    /** The end of a sync page: messages up to {@code upToSeq} were sent; {@code more} asks the device to sync again. */
    record SyncDone(String chat, long upToSeq, boolean more) implements Frame {
        public String type() { return "sync-done"; }
    }

    /** {@code chat} has messages up to {@code seq}: pull them with {@link Sync} (fan-out by pull, for very large groups). */
    record Notify(String chat, long seq) implements Frame {
        public String type() { return "notify"; }
    }

    /** Answers a {@link Ping}. */
    record Pong(long nonce) implements Frame {
        public String type() { return "pong"; }
    }

    /**
     * Something the device sent was refused; {@code code} is stable, {@code message} is for people.
     * {@code chat} and {@code cmid} name the request it answers (null when it has none, or it had
     * none: a frame that could not be read).
     */
    record Error(ErrorCode code, String message, String chat, String cmid) implements Frame {
        /** An error that answers no particular chat's request. */
        public Error(ErrorCode code, String message) {
            this(code, message, null, null);
        }
        public String type() { return "error"; }
    }
}
