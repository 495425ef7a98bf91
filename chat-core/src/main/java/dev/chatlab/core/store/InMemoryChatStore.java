package dev.chatlab.core.store;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message store as a plain data structure: a shared service that outlives any chat node.
 * The simulator and the in-memory harness run it behind simulated latency; its rules (epoch
 * fencing, idempotent appends keyed by sender and cmid, seq unique per chat) are the ones every
 * real store adapter must keep.
 *
 * <pre>{@code
 * var store = new InMemoryChatStore();
 * StoreResult claimed = store.apply(new StoreOp.Claim("c1", "n1"));
 * }</pre>
 */
public final class InMemoryChatStore {

    private final Map<String, ChatRecord> chats = new HashMap<>();
    /** The chats each user has any member state in: a login lists them without scanning every chat. */
    private final Map<String, java.util.TreeSet<String>> chatsByUser = new HashMap<>();
    private long appliedOps;

    private static final class ChatRecord {
        long epoch;
        long lastSeq;
        final TreeMap<Long, StoredMessage> messages = new TreeMap<>();
        final Map<String, Long> seqBySenderCmid = new HashMap<>();
        final TreeMap<String, MemberState> members = new TreeMap<>();
        final TreeMap<String, Long> delivered = new TreeMap<>();
        final TreeMap<String, Long> read = new TreeMap<>();
    }

    public long appliedOps() {
        return appliedOps;
    }

    /** Applies one operation atomically and returns its result. */
    public StoreResult apply(StoreOp op) {
        appliedOps++;
        if (op instanceof StoreOp.ChatsOf of) {
            return new StoreResult.Chats(of.user(), chatsOf(of.user()));
        }
        ChatRecord known = chats.get(op.chat());
        boolean exists = known != null && !(known.members.isEmpty() && known.messages.isEmpty());
        if (!exists && (op instanceof StoreOp.Claim claim && !claim.create() || op instanceof StoreOp.ReadRange)) {
            // Asking about a chat must not create it: made-up ids would fill the store.
            return op instanceof StoreOp.ReadRange range
                    ? new StoreResult.Range(op.chat(), List.of(), range.afterSeq(), false)
                    : new StoreResult.NoSuchChat(op.chat());
        }
        ChatRecord chat = chats.computeIfAbsent(op.chat(), c -> new ChatRecord());
        if (op instanceof StoreOp.Claim) {
            chat.epoch++;
            return new StoreResult.Claimed(op.chat(), chat.epoch, chat.lastSeq, chat.members,
                    chat.delivered, chat.read);
        } else if (op instanceof StoreOp.Append append) {
            boolean unfenced = append.epoch() == StoreOp.UNFENCED;
            if (!unfenced && append.epoch() < chat.epoch) {
                return new StoreResult.Fenced(op.chat(), chat.epoch);
            }
            List<StoreResult.Outcome> outcomes = new ArrayList<>(append.messages().size());
            for (StoreOp.NewMessage m : append.messages()) {
                String key = m.sender() + '\u0000' + m.cmid();
                Long existing = chat.seqBySenderCmid.get(key);
                if (existing != null) {
                    outcomes.add(new StoreResult.Outcome(existing, true));
                    continue;
                }
                long seq = m.seq() == 0 ? chat.lastSeq + 1 : m.seq();
                if (chat.messages.containsKey(seq) && !unfenced) {
                    throw new IllegalStateException("seq " + seq + " of chat " + op.chat()
                            + " is taken: an owner under the current epoch reused it");
                }
                chat.messages.put(seq, new StoredMessage(op.chat(), seq, m.sender(), m.senderDevice(), m.cmid(), m.body()));
                chat.seqBySenderCmid.put(key, seq);
                chat.lastSeq = Math.max(chat.lastSeq, seq);
                outcomes.add(new StoreResult.Outcome(seq, false));
            }
            return new StoreResult.Appended(op.chat(), outcomes);
        } else if (op instanceof StoreOp.ReadRange range) {
            List<StoredMessage> page = new ArrayList<>(Math.min(range.limit(), 64));
            boolean more = false;
            for (StoredMessage m : chat.messages.tailMap(range.afterSeq(), false).values()) {
                if (page.size() == range.limit()) {
                    more = true;
                    break;
                }
                page.add(m);
            }
            long upTo = more ? page.get(page.size() - 1).seq() : Math.max(range.afterSeq(), chat.lastSeq);
            return new StoreResult.Range(op.chat(), page, upTo, more);
        } else if (op instanceof StoreOp.SetMember set) {
            if (set.epoch() != StoreOp.UNFENCED && set.epoch() < chat.epoch) {
                return new StoreResult.Fenced(op.chat(), chat.epoch);
            }
            if (set.state() == null) {
                chat.members.remove(set.user());
                forget(set.user(), op.chat());
            } else {
                chat.members.put(set.user(), set.state());
                remember(set.user(), op.chat());
            }
            return new StoreResult.Done(op.chat());
        } else if (op instanceof StoreOp.RaiseWatermark mark) {
            TreeMap<String, Long> marks = mark.state() == ReceiptState.READ ? chat.read : chat.delivered;
            marks.merge(mark.user(), mark.seq(), Math::max);
            return new StoreResult.Done(op.chat());
        }
        throw new IllegalArgumentException("unknown store op " + op);
    }

    /** Creates a group with members before a run starts (the workload's initial state); the first is its creator, an admin. */
    public void seedChat(String chat, Iterable<String> members) {
        ChatRecord record = chats.computeIfAbsent(chat, c -> new ChatRecord());
        boolean first = true;
        for (String user : members) {
            record.members.put(user, first ? MemberState.ADMIN : MemberState.MEMBER);
            first = false;
            remember(user, chat);
        }
    }

    /** The chats a user belongs to or is joining or leaving, with their newest seq: what a welcome frame lists. */
    public List<StoreResult.ChatHead> chatsOf(String user) {
        List<StoreResult.ChatHead> heads = new ArrayList<>();
        // Chats with a change in flight are listed too: the device's sync makes a new owner finish it.
        for (String chat : chatsByUser.getOrDefault(user, new java.util.TreeSet<>())) {
            heads.add(new StoreResult.ChatHead(chat, chats.get(chat).lastSeq));
        }
        return heads;
    }

    private void remember(String user, String chat) {
        chatsByUser.computeIfAbsent(user, u -> new java.util.TreeSet<>()).add(chat);
    }

    private void forget(String user, String chat) {
        java.util.TreeSet<String> mine = chatsByUser.get(user);
        if (mine != null) {
            mine.remove(chat);
            if (mine.isEmpty()) {
                chatsByUser.remove(user);
            }
        }
    }

    /** The chats the store holds a record of (tests: requests about made-up chats must leave none). */
    public int chatCount() {
        return chats.size();
    }

    /** Every member state of a chat, by user (tests). */
    public java.util.SortedMap<String, MemberState> membersOf(String chat) {
        ChatRecord record = chats.get(chat);
        return record == null ? new TreeMap<>() : new TreeMap<>(record.members);
    }

    public long messageCount() {
        long n = 0;
        for (ChatRecord c : chats.values()) {
            n += c.messages.size();
        }
        return n;
    }
}
