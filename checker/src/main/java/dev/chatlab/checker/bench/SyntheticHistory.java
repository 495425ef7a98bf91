package dev.chatlab.checker.bench;

import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongLongMap;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
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
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A large, valid, synthetic history for benchmarks, generated as a stream from a seed: many users
 * with one to three devices, mostly 1:1 chats, small groups and a few larger ones, and a realistic
 * mix of sends, acks, push deliveries, reads, receipts, typing, presence, devices going offline
 * and syncing on reconnect, and a few membership changes; it ends with a quiesce after which every
 * device reconnects and syncs. Every history it writes passes every invariant.
 *
 * <pre>{@code
 * long written = SyntheticHistory.write(Path.of("/tmp/h.jsonl"), 10_000_000, 42);
 * }</pre>
 *
 * <p>The generator's own memory grows with the population and the number of messages (it keeps
 * each chat's log for syncs), not with the number of events.
 */
public final class SyntheticHistory {

    private static final String[] DEVICE_NAMES = {"phone", "laptop", "tablet"};

    private final SplittableRandom random;
    private final long targetEvents;
    private final String[] userNames;
    private final String[] chatNames;
    /** Per user: the first global device index; devices of user u are deviceBase[u] .. deviceBase[u+1]-1. */
    private final int[] deviceBase;
    private final boolean[] online;
    private final int[] onlineDevicesOfUser;
    private final IntList[] members;
    private final IntList[] chatsOfUser;
    private final boolean[] group;
    private final long[] chatSeq;
    /** Per chat, per seq - 1: the message number (its cmid is "m" + number) and the sending device. */
    private final IntList[] logNumber;
    private final IntList[] logDevice;
    /** Per (device, chat): the last seq the device has caught up to. */
    private final LongLongMap caughtUp = new LongLongMap(1 << 16);
    /** Per (chat, user): the highest seq delivered by a device of the user (or acked as its own), and read. */
    private final LongLongMap deliveredMark = new LongLongMap(1 << 16);
    private final LongLongMap readMark = new LongLongMap(1 << 16);

    private HistorySink sink;
    private long events;
    private long t;
    private int messageNumber;

    public SyntheticHistory(long targetEvents, long seed) {
        this.random = new SplittableRandom(seed);
        this.targetEvents = targetEvents;
        int users = (int) Math.max(50, targetEvents / 100);
        int chats = (int) Math.max(20, targetEvents / 150);
        userNames = new String[users];
        deviceBase = new int[users + 1];
        for (int u = 0; u < users; u++) {
            userNames[u] = "user" + u;
            int roll = random.nextInt(100);
            deviceBase[u + 1] = deviceBase[u] + (roll < 50 ? 1 : roll < 85 ? 2 : 3);
        }
        online = new boolean[deviceBase[users]];
        onlineDevicesOfUser = new int[users];
        chatNames = new String[chats];
        members = new IntList[chats];
        group = new boolean[chats];
        chatSeq = new long[chats];
        logNumber = new IntList[chats];
        logDevice = new IntList[chats];
        chatsOfUser = new IntList[users];
        for (int u = 0; u < users; u++) {
            chatsOfUser[u] = new IntList(4);
        }
        for (int c = 0; c < chats; c++) {
            int roll = random.nextInt(100);
            int size = roll < 60 ? 2 : roll < 97 ? 3 + random.nextInt(8) : 20 + random.nextInt(41);
            chatNames[c] = (size == 2 ? "dm" : "group") + c;
            group[c] = size > 2;
            members[c] = new IntList(size);
            logNumber[c] = new IntList(16);
            logDevice[c] = new IntList(16);
            while (members[c].size() < Math.min(size, users)) {
                int u = random.nextInt(users);
                if (!members[c].contains(u)) {
                    members[c].add(u);
                    chatsOfUser[u].add(c);
                }
            }
        }
    }

    /** Writes a history of about {@code targetEvents} events to {@code file}; returns the exact count. */
    public static long write(Path file, long targetEvents, long seed) throws IOException {
        try (HistoryWriter writer = HistoryWriter.open(file)) {
            return new SyntheticHistory(targetEvents, seed).generate(writer);
        }
    }

    /** Hands the whole history to {@code sink}; returns the number of events. */
    public long generate(HistorySink sink) {
        this.sink = sink;
        for (int c = 0; c < members.length; c++) {
            for (int i = 0; i < members[c].size(); i++) {
                emit(new Member(t, chatNames[c], userNames[members[c].get(i)], MemberOp.ADD));
            }
        }
        for (int u = 0; u < userNames.length; u++) {
            for (int d = deviceBase[u]; d < deviceBase[u + 1]; d++) {
                if (random.nextInt(100) < 85) {
                    connect(u, d);
                }
            }
        }
        long finale = (long) (targetEvents * 0.97);
        while (events < finale) {
            step();
        }
        tick();
        emit(new Quiesce(t));
        for (int u = 0; u < userNames.length; u++) {
            for (int d = deviceBase[u]; d < deviceBase[u + 1]; d++) {
                if (online[d]) {
                    disconnect(u, d);
                }
                connect(u, d);
            }
        }
        return events;
    }

    private void step() {
        tick();
        int roll = random.nextInt(1000);
        if (roll < 900) {
            message();
        } else if (roll < 950) {
            toggleSomeDevice();
        } else if (roll < 990) {
            presence();
        } else {
            changeMembership();
        }
    }

    private void message() {
        int sender = random.nextInt(userNames.length);
        IntList chats = chatsOfUser[sender];
        if (chats.isEmpty()) {
            return;
        }
        int chat = chats.get(random.nextInt(chats.size()));
        int device = deviceBase[sender] + random.nextInt(deviceBase[sender + 1] - deviceBase[sender]);
        if (!online[device]) {
            connect(sender, device);
        }
        IntList people = members[chat];
        if (random.nextInt(10) == 0) {
            typing(chat, sender);
        }
        int number = ++messageNumber;
        String cmid = "m" + number;
        String chatName = chatNames[chat];
        emit(new Send(t, userNames[sender], deviceName(sender, device), chatName, cmid));
        long seq = ++chatSeq[chat];
        logNumber[chat].add(number);
        logDevice[chat].add(device);
        tick();
        emit(new Ack(t, userNames[sender], deviceName(sender, device), chatName, cmid, seq));
        caughtUp.put(LongIntMap.pack(device, chat), seq);
        mark(deliveredMark, chat, sender, seq);
        for (int i = 0; i < people.size(); i++) {
            int user = people.get(i);
            boolean delivered = false;
            boolean read = false;
            for (int d = deviceBase[user]; d < deviceBase[user + 1]; d++) {
                if (d == device || !online[d]) {
                    continue;
                }
                tick();
                emit(new Deliver(t, userNames[user], deviceName(user, d), chatName, seq, cmid, userNames[sender], Via.PUSH));
                caughtUp.put(LongIntMap.pack(d, chat), seq);
                delivered = true;
                if (random.nextInt(4) == 0) {
                    emit(new Read(t, userNames[user], deviceName(user, d), chatName, seq));
                    read = true;
                }
            }
            if (delivered) {
                mark(deliveredMark, chat, user, seq);
            }
            if (read) {
                mark(readMark, chat, user, seq);
            }
            if (user != sender && (delivered || read) && random.nextInt(3) == 0) {
                receipt(chat, sender, user, read);
            }
        }
    }

    /** Tells the sender's online devices how far {@code by} has got: watermarks only grow, so they are monotone. */
    private void receipt(int chat, int observer, int by, boolean read) {
        long key = LongIntMap.pack(chat, by);
        long seq = read ? readMark.get(key, 0) : deliveredMark.get(key, 0);
        if (seq == 0) {
            return;
        }
        for (int d = deviceBase[observer]; d < deviceBase[observer + 1]; d++) {
            if (online[d]) {
                emit(new Receipt(t, userNames[observer], deviceName(observer, d), chatNames[chat], userNames[by],
                        read ? ReceiptState.READ : ReceiptState.DELIVERED, seq));
            }
        }
    }

    private void typing(int chat, int from) {
        IntList people = members[chat];
        int shown = 0;
        for (int i = 0; i < people.size() && shown < 2; i++) {
            int user = people.get(i);
            if (user == from) {
                continue;
            }
            for (int d = deviceBase[user]; d < deviceBase[user + 1] && shown < 2; d++) {
                if (online[d]) {
                    emit(new Typing(t, userNames[user], deviceName(user, d), chatNames[chat], userNames[from]));
                    shown++;
                }
            }
        }
    }

    private void toggleSomeDevice() {
        int user = random.nextInt(userNames.length);
        int device = deviceBase[user] + random.nextInt(deviceBase[user + 1] - deviceBase[user]);
        if (online[device]) {
            disconnect(user, device);
        } else {
            connect(user, device);
        }
    }

    private void presence() {
        int observer = random.nextInt(userNames.length);
        int about = random.nextInt(userNames.length);
        for (int d = deviceBase[observer]; d < deviceBase[observer + 1]; d++) {
            if (online[d]) {
                boolean isOnline = onlineDevicesOfUser[about] > 0;
                emit(new Presence(t, userNames[observer], deviceName(observer, d), userNames[about],
                        isOnline ? PresenceState.ONLINE : PresenceState.OFFLINE, isOnline ? null : t));
                return;
            }
        }
    }

    /** Adds someone to a group or removes a member; 1:1 chats keep their two members. */
    private void changeMembership() {
        int chat = random.nextInt(members.length);
        if (!group[chat]) {
            return;
        }
        IntList people = members[chat];
        if (people.size() > 3 && random.nextBoolean()) {
            int user = people.get(random.nextInt(people.size()));
            people.removeValue(user);
            chatsOfUser[user].removeValue(chat);
            emit(new Member(t, chatNames[chat], userNames[user], MemberOp.REMOVE));
        } else {
            int user = random.nextInt(userNames.length);
            if (people.contains(user)) {
                return;
            }
            people.add(user);
            chatsOfUser[user].add(chat);
            emit(new Member(t, chatNames[chat], userNames[user], MemberOp.ADD));
            // A new member is owed what comes from now on, not the history before.
            for (int d = deviceBase[user]; d < deviceBase[user + 1]; d++) {
                caughtUp.put(LongIntMap.pack(d, chat), chatSeq[chat]);
            }
        }
    }

    private void connect(int user, int device) {
        online[device] = true;
        if (onlineDevicesOfUser[user]++ == 0) {
            tick();
        }
        emit(new Connect(t, userNames[user], deviceName(user, device), "node" + (device % 8)));
        IntList chats = chatsOfUser[user];
        for (int i = 0; i < chats.size(); i++) {
            sync(user, device, chats.get(i));
        }
    }

    private void disconnect(int user, int device) {
        online[device] = false;
        onlineDevicesOfUser[user]--;
        emit(new Disconnect(t, userNames[user], deviceName(user, device), null));
    }

    /** Delivers, in seq order, what the device missed in the chat, except what it sent itself. */
    private void sync(int user, int device, int chat) {
        long key = LongIntMap.pack(device, chat);
        long from = caughtUp.get(key, 0);
        long to = chatSeq[chat];
        long delivered = 0;
        for (long seq = from + 1; seq <= to; seq++) {
            int index = (int) (seq - 1);
            int senderDevice = logDevice[chat].get(index);
            if (senderDevice == device) {
                continue;
            }
            int sender = senderOf(senderDevice);
            tick();
            emit(new Deliver(t, userNames[user], deviceName(user, device), chatNames[chat], seq,
                    "m" + logNumber[chat].get(index), userNames[sender], Via.SYNC));
            delivered = seq;
        }
        caughtUp.put(key, to);
        if (delivered > 0) {
            mark(deliveredMark, chat, user, delivered);
        }
    }

    private int senderOf(int device) {
        int lo = 0;
        int hi = userNames.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (deviceBase[mid] <= device) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private void mark(LongLongMap marks, int chat, int user, long seq) {
        long key = LongIntMap.pack(chat, user);
        if (seq > marks.get(key, 0)) {
            marks.put(key, seq);
        }
    }

    private String deviceName(int user, int device) {
        return DEVICE_NAMES[device - deviceBase[user]];
    }

    private void emit(HistoryEvent event) {
        sink.accept(event);
        events++;
    }

    private void tick() {
        t += random.nextInt(8);
    }
}
