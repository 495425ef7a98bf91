package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
import dev.chatlab.core.history.HistoryEvent.Fail;
import dev.chatlab.core.history.HistoryEvent.Member;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.Presence;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.Quiesce;
import dev.chatlab.core.history.HistoryEvent.Read;
import dev.chatlab.core.history.HistoryEvent.Receipt;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Send;
import dev.chatlab.core.history.HistoryEvent.Typing;
import dev.chatlab.core.history.HistoryEvent.Via;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small model of a correct chat system that records the history it produces: users with
 * several devices, groups whose members are added and removed, sends that are acked, refused or
 * left indeterminate (persisted or not), retries, disconnects and reconnects with sync, reads,
 * receipts, presence and typing, and at the end a quiesce followed by a reconnect and sync of
 * every device.
 *
 * <p>The model is correct in the contract's terms: a server log per chat with increasing (not
 * always contiguous) seqs; a device syncs a chat only while its user is a member, delivering in
 * seq order every message committed during its user's current membership, and every message not
 * yet committed in the history (its delivery commits it, with the user a member); older messages
 * are delivered only where the chat's policy gives history to new members.
 *
 * <pre>{@code
 * List<HistoryEvent> history = new CorrectChat(new Random(7), 80).generate();
 * }</pre>
 */
final class CorrectChat {

    private final Random random;
    private final int steps;
    private final List<HistoryEvent> out = new ArrayList<>();
    private long t;
    private long historyClock;

    private final List<String> users = new ArrayList<>();
    private final Map<String, List<String>> devicesOf = new LinkedHashMap<>();
    private final Set<String> online = new LinkedHashSet<>();
    private final Map<String, ChatState> chats = new LinkedHashMap<>();
    private final Map<String, Integer> cmidCounter = new HashMap<>();
    /** Indeterminate sends a device may retry: device key -> messages. */
    private final Map<String, List<ServerMessage>> indeterminate = new LinkedHashMap<>();

    CorrectChat(Random random, int steps) {
        this.random = random;
        this.steps = steps;
    }

    static final class ServerMessage {
        final String chat;
        final String user;
        final String device;
        final String cmid;
        long seq;
        boolean persisted;
        /** Ordinal of the history event that committed it, 0 while uncommitted in the history. */
        long committedAt;

        ServerMessage(String chat, String user, String device, String cmid) {
            this.chat = chat;
            this.user = user;
            this.device = device;
            this.cmid = cmid;
        }
    }

    static final class ChatState {
        final String name;
        final boolean historyForNewMembers;
        final TreeMap<Long, ServerMessage> log = new TreeMap<>();
        final Set<String> members = new LinkedHashSet<>();
        /** user -> history clock at the user's current join. */
        final Map<String, Long> joinedAt = new HashMap<>();
        final Map<String, Long> lastSeq = new HashMap<>();
        final Map<String, List<Long>> seenSeqs = new HashMap<>();
        /** user -> highest seq delivered by a device of the user or acked as the user's own. */
        final Map<String, Long> deliveredWatermark = new HashMap<>();
        final Map<String, Long> readWatermark = new HashMap<>();
        long nextSeq;

        ChatState(String name, boolean historyForNewMembers, long firstSeq) {
            this.name = name;
            this.historyForNewMembers = historyForNewMembers;
            this.nextSeq = firstSeq;
        }
    }

    List<HistoryEvent> generate() {
        setUp();
        for (int i = 0; i < steps; i++) {
            step();
        }
        finale();
        return out;
    }

    private void setUp() {
        int userCount = 2 + random.nextInt(4);
        for (int u = 0; u < userCount; u++) {
            String user = "u" + u;
            users.add(user);
            List<String> devices = new ArrayList<>();
            int deviceCount = 1 + random.nextInt(3);
            for (int d = 0; d < deviceCount; d++) {
                devices.add(d == 0 ? "phone" : d == 1 ? "laptop" : "tablet");
            }
            devicesOf.put(user, devices);
        }
        int chatCount = 1 + random.nextInt(3);
        for (int c = 0; c < chatCount; c++) {
            // Snowflake-like chats start high and leave gaps between seqs.
            long firstSeq = random.nextBoolean() ? 1 : 1_000_000L + random.nextInt(1000);
            ChatState chat = new ChatState("c" + c, random.nextBoolean(), firstSeq);
            chats.put(chat.name, chat);
            List<String> shuffled = new ArrayList<>(users);
            java.util.Collections.shuffle(shuffled, random);
            int size = 2 + random.nextInt(users.size() - 1);
            for (String user : shuffled.subList(0, size)) {
                addMember(chat, user);
            }
        }
        for (String user : users) {
            for (String device : devicesOf.get(user)) {
                if (random.nextInt(4) != 0) {
                    connect(user, device);
                }
            }
        }
    }

    private void step() {
        tick();
        int roll = random.nextInt(100);
        if (roll < 35) {
            send();
        } else if (roll < 42) {
            retry();
        } else if (roll < 50) {
            disconnectSomeone();
        } else if (roll < 60) {
            connectSomeone();
        } else if (roll < 64) {
            changeMembership();
        } else if (roll < 72) {
            read();
        } else if (roll < 82) {
            receipt();
        } else if (roll < 87) {
            presence();
        } else if (roll < 90) {
            typing();
        } else {
            syncSomeone();
        }
    }

    /**
     * The quiesce, then every device comes up to date: an offline device reconnects and syncs; a
     * connected one either stays connected and is brought up to date by a pull (history format
     * v1.1), or, in half the histories, reconnects as well.
     */
    private void finale() {
        tick();
        emit(new Quiesce(t));
        boolean reconnectAll = random.nextBoolean();
        for (String user : users) {
            for (String device : devicesOf.get(user)) {
                tick();
                boolean connected = online.contains(key(user, device));
                if (connected && !reconnectAll) {
                    for (ChatState chat : chats.values()) {
                        if (chat.members.contains(user)) {
                            sync(chat, user, device, Via.PULL);
                        }
                    }
                    continue;
                }
                if (connected) {
                    online.remove(key(user, device));
                    emit(new Disconnect(t, user, device, "quiesce"));
                }
                connect(user, device);
            }
        }
    }

    // ------------------------------------------------------------------ actions

    private void send() {
        List<String[]> candidates = new ArrayList<>();
        for (ChatState chat : chats.values()) {
            for (String user : chat.members) {
                for (String device : devicesOf.get(user)) {
                    if (online.contains(key(user, device))) {
                        candidates.add(new String[] {chat.name, user, device});
                    }
                }
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        String[] pick = candidates.get(random.nextInt(candidates.size()));
        ChatState chat = chats.get(pick[0]);
        String user = pick[1];
        String device = pick[2];
        int n = cmidCounter.merge(user, 1, Integer::sum);
        ServerMessage message = new ServerMessage(chat.name, user, device, user + "-m" + n);
        if (random.nextInt(8) == 0) {
            typingAbout(chat, user);
        }
        emit(new Send(t, user, device, chat.name, message.cmid));
        int outcome = random.nextInt(100);
        if (outcome < 70) {
            persist(chat, message);
            ack(chat, message);
            push(chat);
        } else if (outcome < 78) {
            tick();
            emit(new Fail(t, user, device, chat.name, message.cmid));
        } else if (outcome < 86) {
            indeterminate.computeIfAbsent(key(user, device), k -> new ArrayList<>()).add(message);
        } else {
            persist(chat, message);
            indeterminate.computeIfAbsent(key(user, device), k -> new ArrayList<>()).add(message);
            if (random.nextBoolean()) {
                push(chat);
            }
        }
    }

    private void retry() {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, List<ServerMessage>> entry : indeterminate.entrySet()) {
            if (!entry.getValue().isEmpty() && online.contains(entry.getKey())) {
                keys.add(entry.getKey());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        List<ServerMessage> pending = indeterminate.get(keys.get(random.nextInt(keys.size())));
        ServerMessage message = pending.remove(random.nextInt(pending.size()));
        ChatState chat = chats.get(message.chat);
        emit(new Send(t, message.user, message.device, chat.name, message.cmid));
        if (!chat.members.contains(message.user)) {
            if (!message.persisted) {
                tick();
                emit(new Fail(t, message.user, message.device, chat.name, message.cmid));
            }
            // A persisted message stays; the retry of a user no longer in the chat is left indeterminate.
            return;
        }
        if (!message.persisted) {
            persist(chat, message);
        }
        ack(chat, message);
        push(chat);
    }

    private void disconnectSomeone() {
        if (online.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(online);
        String key = keys.get(random.nextInt(keys.size()));
        online.remove(key);
        String[] parts = key.split("/");
        emit(new Disconnect(t, parts[0], parts[1], random.nextBoolean() ? "network" : null));
    }

    private void connectSomeone() {
        List<String[]> offline = new ArrayList<>();
        for (String user : users) {
            for (String device : devicesOf.get(user)) {
                if (!online.contains(key(user, device))) {
                    offline.add(new String[] {user, device});
                }
            }
        }
        if (offline.isEmpty()) {
            return;
        }
        String[] pick = offline.get(random.nextInt(offline.size()));
        connect(pick[0], pick[1]);
    }

    private void changeMembership() {
        List<ChatState> all = new ArrayList<>(chats.values());
        ChatState chat = all.get(random.nextInt(all.size()));
        List<String> outsiders = new ArrayList<>(users);
        outsiders.removeAll(chat.members);
        if (!outsiders.isEmpty() && (chat.members.size() <= 1 || random.nextBoolean())) {
            String user = outsiders.get(random.nextInt(outsiders.size()));
            addMember(chat, user);
            for (String device : devicesOf.get(user)) {
                if (online.contains(key(user, device))) {
                    sync(chat, user, device, Via.SYNC);
                }
            }
        } else if (chat.members.size() > 1) {
            List<String> members = new ArrayList<>(chat.members);
            String user = members.get(random.nextInt(members.size()));
            chat.members.remove(user);
            chat.joinedAt.remove(user);
            emit(new Member(t, chat.name, user, MemberOp.REMOVE));
        }
    }

    private void read() {
        List<String[]> candidates = new ArrayList<>();
        for (ChatState chat : chats.values()) {
            for (Map.Entry<String, List<Long>> seen : chat.seenSeqs.entrySet()) {
                if (!seen.getValue().isEmpty() && online.contains(seen.getKey())) {
                    candidates.add(new String[] {chat.name, seen.getKey()});
                }
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        String[] pick = candidates.get(random.nextInt(candidates.size()));
        ChatState chat = chats.get(pick[0]);
        List<Long> seen = chat.seenSeqs.get(pick[1]);
        // Mostly the latest, sometimes an older one: both are legal.
        long seq = random.nextInt(4) == 0 ? seen.get(random.nextInt(seen.size())) : seen.get(seen.size() - 1);
        String[] parts = pick[1].split("/");
        emit(new Read(t, parts[0], parts[1], chat.name, seq));
        chat.readWatermark.merge(parts[0], seq, Math::max);
    }

    private void receipt() {
        List<ChatState> all = new ArrayList<>(chats.values());
        ChatState chat = all.get(random.nextInt(all.size()));
        List<String[]> observers = new ArrayList<>();
        for (String user : chat.members) {
            for (String device : devicesOf.get(user)) {
                if (online.contains(key(user, device))) {
                    observers.add(new String[] {user, device});
                }
            }
        }
        List<String> bys = new ArrayList<>(chat.deliveredWatermark.keySet());
        if (observers.isEmpty() || bys.isEmpty()) {
            return;
        }
        java.util.Collections.sort(bys);
        String[] observer = observers.get(random.nextInt(observers.size()));
        String by = bys.get(random.nextInt(bys.size()));
        boolean read = random.nextBoolean() && chat.readWatermark.containsKey(by);
        long seq = read ? chat.readWatermark.get(by) : chat.deliveredWatermark.get(by);
        emit(new Receipt(t, observer[0], observer[1], chat.name, by, read ? ReceiptState.READ : ReceiptState.DELIVERED, seq));
        if (random.nextInt(5) == 0) {
            // The same watermark again: a repeated receipt is legal.
            tick();
            emit(new Receipt(t, observer[0], observer[1], chat.name, by, read ? ReceiptState.READ : ReceiptState.DELIVERED, seq));
        }
    }

    private void presence() {
        if (online.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(online);
        String[] observer = keys.get(random.nextInt(keys.size())).split("/");
        String about = users.get(random.nextInt(users.size()));
        boolean isOnline = devicesOf.get(about).stream().anyMatch(d -> online.contains(key(about, d)));
        // Presence may be stale: it carries no invariant, only a staleness measure.
        boolean told = random.nextInt(5) == 0 ? !isOnline : isOnline;
        emit(new Presence(t, observer[0], observer[1], about, told ? PresenceState.ONLINE : PresenceState.OFFLINE,
                random.nextBoolean() ? t : null));
    }

    private void typing() {
        List<ChatState> all = new ArrayList<>(chats.values());
        ChatState chat = all.get(random.nextInt(all.size()));
        if (!chat.members.isEmpty()) {
            typingAbout(chat, chat.members.iterator().next());
        }
    }

    private void typingAbout(ChatState chat, String from) {
        for (String user : chat.members) {
            for (String device : devicesOf.get(user)) {
                if (!user.equals(from) && online.contains(key(user, device))) {
                    emit(new Typing(t, user, device, chat.name, from));
                    return;
                }
            }
        }
    }

    private void syncSomeone() {
        if (online.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(online);
        String[] pick = keys.get(random.nextInt(keys.size())).split("/");
        for (ChatState chat : chats.values()) {
            if (chat.members.contains(pick[0])) {
                sync(chat, pick[0], pick[1], Via.PULL);
            }
        }
    }

    // ------------------------------------------------------------------ the correct server

    private void addMember(ChatState chat, String user) {
        chat.members.add(user);
        emit(new Member(t, chat.name, user, MemberOp.ADD));
        chat.joinedAt.put(user, historyClock);
    }

    private void connect(String user, String device) {
        online.add(key(user, device));
        emit(new Connect(t, user, device, "n" + random.nextInt(3)));
        for (ChatState chat : chats.values()) {
            if (chat.members.contains(user)) {
                sync(chat, user, device, Via.SYNC);
            }
        }
    }

    private void persist(ChatState chat, ServerMessage message) {
        message.seq = chat.nextSeq;
        message.persisted = true;
        chat.nextSeq += random.nextInt(3) == 0 ? 1 + random.nextInt(5) : 1;
        chat.log.put(message.seq, message);
    }

    private void ack(ChatState chat, ServerMessage message) {
        tick();
        emit(new Ack(t, message.user, message.device, chat.name, message.cmid, message.seq));
        if (message.committedAt == 0) {
            message.committedAt = historyClock;
        }
        seen(chat, message.user, message.device, message.seq);
        chat.deliveredWatermark.merge(message.user, message.seq, Math::max);
    }

    /** Pushes the chat to every online device of every member: the same as a sync of each. */
    private void push(ChatState chat) {
        for (String user : new ArrayList<>(chat.members)) {
            for (String device : devicesOf.get(user)) {
                if (online.contains(key(user, device))) {
                    sync(chat, user, device, Via.PUSH);
                }
            }
        }
    }

    private void sync(ChatState chat, String user, String device, Via via) {
        if (!chat.members.contains(user)) {
            return;
        }
        String key = key(user, device);
        long last = chat.lastSeq.getOrDefault(key, 0L);
        long joined = chat.joinedAt.get(user);
        for (ServerMessage message : chat.log.tailMap(last, false).values()) {
            if (message.device.equals(device) && message.user.equals(user)) {
                continue;
            }
            boolean owed = message.committedAt > joined;
            boolean uncommitted = message.committedAt == 0;
            if (!owed && !uncommitted && !chat.historyForNewMembers) {
                continue;
            }
            tick();
            emit(new Deliver(t, user, device, chat.name, message.seq, message.cmid, message.user, via));
            if (uncommitted) {
                message.committedAt = historyClock;
            }
            chat.lastSeq.put(key, message.seq);
            seen(chat, user, device, message.seq);
            chat.deliveredWatermark.merge(user, message.seq, Math::max);
        }
    }

    private void seen(ChatState chat, String user, String device, long seq) {
        chat.seenSeqs.computeIfAbsent(key(user, device), k -> new ArrayList<>()).add(seq);
    }

    // ------------------------------------------------------------------ plumbing

    private void emit(HistoryEvent event) {
        out.add(event);
        historyClock++;
    }

    private void tick() {
        t += random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
    }

    private static String key(String user, String device) {
        return user + "/" + device;
    }
}
