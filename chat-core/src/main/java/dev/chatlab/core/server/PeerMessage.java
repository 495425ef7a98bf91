package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.protocol.Frame;

import java.util.List;

/** What one chat node tells another: requests to a chat's owner, and frames on their way to devices. */
public sealed interface PeerMessage {

    /** A device (held by {@code node}) asks the chat's owner to sequence and store a message. */
    record Submit(String chat, String user, String device, String node, String cmid, String body, int hops)
            implements PeerMessage {
    }

    /** A device asks the owner for messages after {@code afterSeq}. */
    record SyncRequest(String chat, String user, String device, String node, long afterSeq, int limit, int hops)
            implements PeerMessage {
    }

    /** A device (held by {@code node}) reports a delivered or read watermark to the owner (the device, for the owner's catch-up). */
    record WatermarkReport(String chat, String user, String device, String node, ReceiptState state, long seq, int hops)
            implements PeerMessage {
    }

    /** A device's user is typing; {@code node} holds the device. */
    record TypingReport(String chat, String user, String device, String node, int hops) implements PeerMessage {
    }

    /** {@code actor} asks to add or remove {@code user}. */
    record MembershipRequest(String chat, String actor, String user, MemberOp op, String actorDevice,
                             String actorNode, int hops) implements PeerMessage {
    }

    /** A frame for one device held by the receiving node. */
    record ToDevice(String user, String device, Frame frame) implements PeerMessage {
    }

    /**
     * A frame for every device of each of {@code users} held by the receiving node, but device
     * {@code exceptDevice} of {@code exceptUser} (both may be null): a fan-out sends one to each
     * node, not one for each recipient.
     */
    record ToUsers(List<String> users, String exceptUser, String exceptDevice, Frame frame) implements PeerMessage {
        public ToUsers {
            users = List.copyOf(users);
        }
    }

    /** The owner tells every node: stop showing {@code chat} on {@code user}'s devices, and confirm. */
    record RemovalNotice(String chat, String user, String owner) implements PeerMessage {
    }

    /** A node tells the owner how many devices it asked to leave the chat. */
    record RemovalNoticed(String chat, String user, String node, int devices) implements PeerMessage {
    }

    /** A device has left the chat (confirmed the notice, or its session ended). */
    record RemovalConfirmed(String chat, String user, String node) implements PeerMessage {
    }

    /**
     * A device's session opened or closed on {@code node}; replicated to every node's device
     * directory. {@code lastSeenMicros} is, for an online update, when the session opened (the newer
     * of two sessions of a device stays), in every copy; {@code announcedMicros} is when this copy
     * was sent, which its acknowledgement echoes.
     */
    record DirectoryUpdate(String user, String device, String node, boolean online, long lastSeenMicros,
                           long announcedMicros) implements PeerMessage {
        /** An update sent once, when it happened (a close, a snapshot's entry, a session's first announcement). */
        public DirectoryUpdate(String user, String device, String node, boolean online, long lastSeenMicros) {
            this(user, device, node, online, lastSeenMicros, lastSeenMicros);
        }
    }

    /**
     * A node applied a device's online update: once every node has, the device's node may read the
     * user's chats. {@code announcedMicros} echoes the update's, so the announcing node knows which
     * copy was answered (see {@code AnnouncementRetries}).
     */
    record DirectoryAck(String user, String device, String node, long announcedMicros) implements PeerMessage {
    }

    /**
     * Every session a node holds, sent to a node that joined its view, so the joiner's directory
     * holds them. {@code asksBack}: the sender saw the receiver join and wants the receiver's
     * snapshot in return (an answer never asks, so an exchange is two messages at most).
     */
    record DirectorySnapshot(String node, List<DirectoryUpdate> entries, boolean asksBack) implements PeerMessage {
        public DirectorySnapshot {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Pinned ownership: a gateway asks a home node which of {@code user}'s chats it holds, for the
     * welcome of session {@code session} (a node-local store lists only the chats homed there).
     */
    record HomeChatsRequest(String user, long session, String gateway) implements PeerMessage {
    }

    /** A home node's answer: the chats of {@code user} homed at {@code node}, each with its newest seq. */
    record HomeChats(String user, long session, String node, List<Frame.ChatHead> heads) implements PeerMessage {
        public HomeChats {
            heads = List.copyOf(heads);
        }
    }
}
