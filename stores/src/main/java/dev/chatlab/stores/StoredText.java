package dev.chatlab.stores;

import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Any string the protocol allows, made storable and brought back exactly. PostgreSQL's
 * {@code text} refuses NUL, UTF-8 cannot encode a lone surrogate (a driver writes {@code ?}, so two
 * ids would become one), and a key-value store's keys use NUL as their separator; the protocol
 * allows all three in a body and in every id. The encoding writes those characters, and its own
 * escape character, as an escape sequence, and leaves every other character as it is, so ordinary
 * text is stored unchanged. It is injective: distinct strings stay distinct, so unique keys keep
 * their meaning.
 *
 * <pre>{@code
 * StoreOp storable = StoredText.encode(op);      // before the store sees it
 * StoreResult exact = StoredText.decode(result); // what the node sees
 * }</pre>
 */
final class StoredText {

    /** A private-use character, rare in real text, that starts an escape. */
    static final char ESCAPE = '\uE000';

    private StoredText() {
    }

    static String encode(String text) {
        if (text == null || !needsEscape(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ESCAPE) {
                out.append(ESCAPE).append('e');
            } else if (c == '\u0000') {
                out.append(ESCAPE).append('0');
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(ESCAPE).append('s').append(String.format("%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String stored) {
        if (stored == null || stored.indexOf(ESCAPE) < 0) {
            return stored;
        }
        StringBuilder out = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c != ESCAPE || i + 1 >= stored.length()) {
                out.append(c);
                continue;
            }
            char kind = stored.charAt(++i);
            if (kind == 'e') {
                out.append(ESCAPE);
            } else if (kind == '0') {
                out.append('\u0000');
            } else if (kind == 's' && i + 4 < stored.length()) {
                out.append((char) Integer.parseInt(stored.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                throw new IllegalStateException("stored text has an unknown escape " + (int) kind + " at " + i);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ESCAPE || c == '\u0000') {
                return true;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    static List<String> encode(List<String> texts) {
        return texts.stream().map(StoredText::encode).toList();
    }

    /** The operation with every string in its storable form. */
    static StoreOp encode(StoreOp op) {
        if (op instanceof StoreOp.Claim c) {
            return new StoreOp.Claim(encode(c.chat()), c.node(), c.create());
        } else if (op instanceof StoreOp.Append a) {
            List<StoreOp.NewMessage> messages = new ArrayList<>(a.messages().size());
            for (StoreOp.NewMessage m : a.messages()) {
                messages.add(new StoreOp.NewMessage(m.seq(), encode(m.sender()), encode(m.senderDevice()),
                        encode(m.cmid()), encode(m.body())));
            }
            return new StoreOp.Append(encode(a.chat()), a.epoch(), messages);
        } else if (op instanceof StoreOp.ReadRange r) {
            return new StoreOp.ReadRange(encode(r.chat()), r.afterSeq(), r.limit());
        } else if (op instanceof StoreOp.SetMember s) {
            return new StoreOp.SetMember(encode(s.chat()), s.epoch(), encode(s.user()), s.state());
        } else if (op instanceof StoreOp.RaiseWatermark w) {
            return new StoreOp.RaiseWatermark(encode(w.chat()), encode(w.user()), w.state(), w.seq());
        } else if (op instanceof StoreOp.ChatsOf c) {
            return new StoreOp.ChatsOf(encode(c.user()));
        }
        throw new IllegalArgumentException("unknown store op " + op);
    }

    /** The result with every string as the node gave it. */
    static StoreResult decode(StoreResult result) {
        if (result instanceof StoreResult.Claimed c) {
            Map<String, MemberState> members = new HashMap<>();
            c.members().forEach((user, state) -> members.put(decode(user), state));
            return new StoreResult.Claimed(decode(c.chat()), c.epoch(), c.lastSeq(), members,
                    decodeKeys(c.delivered()), decodeKeys(c.read()));
        } else if (result instanceof StoreResult.Appended a) {
            return new StoreResult.Appended(decode(a.chat()), a.outcomes());
        } else if (result instanceof StoreResult.Fenced f) {
            return new StoreResult.Fenced(decode(f.chat()), f.currentEpoch());
        } else if (result instanceof StoreResult.Range r) {
            List<StoredMessage> messages = new ArrayList<>(r.messages().size());
            for (StoredMessage m : r.messages()) {
                messages.add(new StoredMessage(decode(m.chat()), m.seq(), decode(m.sender()), decode(m.senderDevice()),
                        decode(m.cmid()), decode(m.body())));
            }
            return new StoreResult.Range(decode(r.chat()), messages, r.upToSeq(), r.more());
        } else if (result instanceof StoreResult.Done d) {
            return new StoreResult.Done(decode(d.chat()));
        } else if (result instanceof StoreResult.NoSuchChat n) {
            return new StoreResult.NoSuchChat(decode(n.chat()));
        } else if (result instanceof StoreResult.Chats c) {
            List<StoreResult.ChatHead> heads = new ArrayList<>(c.heads().size());
            for (StoreResult.ChatHead head : c.heads()) {
                heads.add(new StoreResult.ChatHead(decode(head.chat()), head.lastSeq()));
            }
            // Java's order of the ids themselves, as the in-memory store lists them.
            heads.sort(Comparator.comparing(StoreResult.ChatHead::chat));
            return new StoreResult.Chats(decode(c.user()), heads);
        }
        return result;
    }

    private static Map<String, Long> decodeKeys(Map<String, Long> marks) {
        Map<String, Long> out = new HashMap<>();
        marks.forEach((user, seq) -> out.put(decode(user), seq));
        return out;
    }
}
