package dev.chatlab.core.store;

import java.util.List;
import java.util.Map;

/** What the store answered to a {@link StoreOp}. */
public sealed interface StoreResult {

    /** The chat's state as a new owner needs it. */
    record Claimed(String chat, long epoch, long lastSeq, Map<String, MemberState> members,
                   Map<String, Long> delivered, Map<String, Long> read) implements StoreResult {
        public Claimed {
            members = Map.copyOf(members);
            delivered = Map.copyOf(delivered);
            read = Map.copyOf(read);
        }
    }

    /** One outcome per appended message, in order: its seq, and whether it existed already. */
    record Appended(String chat, List<Outcome> outcomes) implements StoreResult {
        public Appended {
            outcomes = List.copyOf(outcomes);
        }
    }

    record Outcome(long seq, boolean duplicate) {
    }

    /** A claim that may not create found no chat (no member, no message): nothing was written. */
    record NoSuchChat(String chat) implements StoreResult {
    }

    /**
     * The host gave up on the operation: the store refused it for good, or failed every attempt
     * of the host's bounded retries. The node answers the request that needed it and goes on.
     */
    record Failed(String chat, String reason) implements StoreResult {
    }

    /** A newer owner holds the chat: the request was not applied. */
    record Fenced(String chat, long currentEpoch) implements StoreResult {
    }

    /** A page of messages; {@code upToSeq} is the last seq covered, {@code more} says a next page exists. */
    record Range(String chat, List<StoredMessage> messages, long upToSeq, boolean more) implements StoreResult {
        public Range {
            messages = List.copyOf(messages);
        }
    }

    /** A write that needs no answer beyond "done". */
    record Done(String chat) implements StoreResult {
    }

    /** The chats a user is a settled member of, with their newest seq. */
    record Chats(String user, List<ChatHead> heads) implements StoreResult {
        public Chats {
            heads = List.copyOf(heads);
        }
    }

    record ChatHead(String chat, long lastSeq) {
    }
}
