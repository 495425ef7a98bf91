package dev.chatlab.core.store;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;

import java.util.List;

/** A request to the message store, as data: runtimes carry it to a store and bring back a {@link StoreResult}. */
public sealed interface StoreOp {

    String chat();

    /**
     * Become the chat's owner: bumps the chat's epoch (fencing earlier owners) and returns its state.
     * A chat exists once it has a member or a message; unless {@code create}, a claim of one that
     * does not exist writes nothing and answers {@link StoreResult.NoSuchChat}.
     */
    record Claim(String chat, String node, boolean create) implements StoreOp {
        /** A claim that creates the chat if it does not exist. */
        public Claim(String chat, String node) {
            this(chat, node, true);
        }
    }

    /** The epoch of a writer that does not fence: the store lets it overwrite whatever a seq held. */
    long UNFENCED = -1;

    /**
     * Appends messages under {@code epoch}; refused whole if a newer owner has claimed the chat
     * (unless the epoch is {@link #UNFENCED}: then a taken seq is overwritten, last writer wins).
     * A message whose (sender, cmid) exists already is not stored again: its result carries the
     * existing seq. {@code seq} of a new message is the owner's, or 0 to let the store count.
     */
    record Append(String chat, long epoch, List<NewMessage> messages) implements StoreOp {
        public Append {
            messages = List.copyOf(messages);
        }
    }

    /** A message to append; {@code seq} 0 asks the store to assign the next one. */
    record NewMessage(long seq, String sender, String senderDevice, String cmid, String body) {
    }

    /** Reads up to {@code limit} messages with seq greater than {@code afterSeq}, in order. */
    record ReadRange(String chat, long afterSeq, int limit) implements StoreOp {
    }

    /** Sets a member's state (null removes the member), under {@code epoch}. */
    record SetMember(String chat, long epoch, String user, MemberState state) implements StoreOp {
    }

    /** Raises (never lowers) a user's delivered or read watermark in a chat. */
    record RaiseWatermark(String chat, String user, ReceiptState state, long seq) implements StoreOp {
    }

    /** Lists the chats {@code user} belongs to, or is joining or leaving; not about one chat. */
    record ChatsOf(String user) implements StoreOp {
        public String chat() {
            return "";
        }
    }
}
