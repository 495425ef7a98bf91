package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.IntLongIndex;
import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongList;
import dev.chatlab.checker.collect.LongObjectMap;
import dev.chatlab.checker.collect.PackedKey;
import dev.chatlab.checker.collect.StringPairTable;
import dev.chatlab.checker.collect.StringTable;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.history.io.EventView;

import java.util.ArrayList;

/**
 * The facts a history has established so far, updated one event at a time in two phases: {@link
 * #resolve} fills a {@link Step} with ids and with what was true just before the event, the
 * invariants judge that step, then {@link #absorb} applies the event.
 *
 * <pre>{@code
 * HistoryFacts facts = new HistoryFacts();
 * Step step = facts.resolve(event, line);
 * for (Invariant invariant : invariants) invariant.observe(step, facts);
 * facts.absorb(step);
 * }</pre>
 *
 * <p>Memory: ids, one row per (user, chat), per (device, chat) and per message. Messages cannot be
 * forgotten: unique-seq must recognise a retried cmid and a reused seq however late they come.
 * What each device has delivered is kept as compressed seqs (a {@code SeqSet} in {@link DeviceChat}); which owed
 * messages a device is missing is kept as a cursor into the chat's log plus a short list of
 * exceptions, so that a correct history costs nothing there.
 */
public final class HistoryFacts {

    /** The step {@link #intern} fills, one event at a time. */
    private final Step step = new Step();

    private final StringTable users = new StringTable(1024);
    private final StringTable chats = new StringTable(1024);
    /** Devices, keyed by (user name, device name). */
    private final StringPairTable devices = new StringPairTable(1024);
    /** Messages, keyed by ((chat id, sender id) packed, cmid). */
    private final StringTable messages = new StringTable(4096);

    // per user
    private final ArrayList<IntList> userDevices = new ArrayList<>();
    private final IntList userOnlineDevices = new IntList();
    private final LongList userStateChangedT = new LongList();

    // per device
    private final IntList deviceUser = new IntList();
    private final IntList deviceConnected = new IntList();
    /**
     * Per device: the line from which it is live after the first quiesce (the quiesce's own line
     * for a session open through it, else its first connect after it), 0 when it is not.
     */
    private final LongList deviceLiveAfterQuiesce = new LongList();

    // per chat
    private final ArrayList<ChatLog> chatLogs = new ArrayList<>();

    /**
     * Per message, one row of {@link #MESSAGE_FIELDS} longs side by side, so that reading a
     * message's facts costs one cache miss rather than one per field.
     */
    private static final int MESSAGE_FIELDS = 7;
    private static final int SENDER_DEVICE = 0;
    private static final int SEND_LINE = 1;
    private static final int SEQ = 2;
    private static final int COMMIT_LINE = 3;
    private static final int ACK_LINE = 4;
    private static final int FAIL_LINE = 5;
    private static final int FIRST_DELIVER_LINE = 6;
    private long[] messageRows = new long[4096 * MESSAGE_FIELDS];
    private final IntLongIndex seqOwners = new IntLongIndex(4096);

    private final LongObjectMap<ChatMembership> membershipsByKey = new LongObjectMap<>(1024);
    private final ArrayList<ChatMembership> memberships = new ArrayList<>();

    private final DeviceChats deviceChats = new DeviceChats();
    /** The (device, chat) row of the event being resolved and judged, or null. */
    private DeviceChat stepRow;

    private long quiesceLine;
    private long events;

    // ---------------------------------------------------------------- phase 1: resolve

    /**
     * Interns the ids that {@code event} names (in event order: that is how ids are numbered) into
     * a reused step, and nothing else: {@link #resolve(Step)} completes it. A batch of events is
     * interned into steps of the caller's instead ({@link #internIds}, {@link #internMessage}).
     */
    public Step intern(EventView event, long line) {
        Step s = step;
        placesFor(1);
        packIds(event, 0);
        internIds(event, line, s, 0);
        packMessage(event, s, 0);
        internMessage(event, s, 0);
        return s;
    }

    /**
     * The first half of {@link #intern}, into a step of the caller's: every id but the message's,
     * whose key needs the chat's and the sender's ids. A batch of events is interned in two
     * rounds, so that the message look-ups of the whole batch can be {@linkplain #prefetchMessage
     * prefetched} in between. {@code k} is the event's index in the batch whose keys {@link
     * #prefetchIds} packed.
     */
    public void internIds(EventView event, long line, Step s, int k) {
        s.reset(event, line);
        switch (s.kind) {
            case DELIVER -> {
                device(s, event, k);
                s.chat = chat(event, k);
                s.otherUser = user(event, EventView.FROM, k);
            }
            case SEND, ACK, FAIL, READ -> {
                device(s, event, k);
                s.chat = chat(event, k);
            }
            case RECEIPT -> {
                device(s, event, k);
                s.chat = chat(event, k);
                s.otherUser = user(event, EventView.BY, k);
            }
            case MEMBER -> {
                s.user = user(event, EventView.USER, k);
                s.chat = chat(event, k);
            }
            case CONNECT, DISCONNECT, TYPING -> device(s, event, k);
            case PRESENCE -> {
                device(s, event, k);
                s.otherUser = user(event, EventView.ABOUT, k);
            }
            default -> {
            }
        }
    }

    /**
     * The second half of {@link #intern}: the message a send, ack, fail or deliver names, whose key
     * {@link #prefetchMessages} packed.
     */
    public void internMessage(EventView event, Step s, int k) {
        if (messagePlaces[k] >= 0) {
            s.message = message(event, k);
        }
    }

    // Prefetching a batch: each method reads, and nothing else, where a later phase will look for
    // the batch's facts. It first works out every place to read, then reads them all in a tight
    // loop, so that their cache misses overlap instead of coming one after another (work between
    // two reads would fill the processor's window and stall it on the first miss). The methods
    // return what they read, for the caller to keep, so that no read is optimised away.

    // Per event of a batch: its keys, packed and hashed once for both prefetching and interning,
    // and where each is looked for first (-1 for a key the event does not have).
    private PackedKey[] deviceKeys = new PackedKey[0];
    private PackedKey[] chatKeys = new PackedKey[0];
    private PackedKey[] userKeys = new PackedKey[0];
    private PackedKey[] messageKeys = new PackedKey[0];
    private int[] devicePlaces = new int[0];
    private int[] chatPlaces = new int[0];
    private int[] userPlaces = new int[0];
    private int[] messagePlaces = new int[0];
    /** The message's chat and sender packed: the prefix of its key. */
    private long[] messagePrefixes = new long[0];
    private int[] seqPlaces = new int[0];

    /** Makes the per-event arrays of a batch hold {@code count} events. */
    private void placesFor(int count) {
        if (devicePlaces.length < count) {
            deviceKeys = keys(count);
            chatKeys = keys(count);
            userKeys = keys(count);
            messageKeys = keys(count);
            devicePlaces = new int[count];
            chatPlaces = new int[count];
            userPlaces = new int[count];
            messagePlaces = new int[count];
            messagePrefixes = new long[count];
            seqPlaces = new int[count];
        }
    }

    private static PackedKey[] keys(int count) {
        PackedKey[] keys = new PackedKey[count];
        for (int k = 0; k < count; k++) {
            keys[k] = new PackedKey();
        }
        return keys;
    }

    /** Reads the table slots where the ids of {@code events[0, count)} (all but messages') will be found. */
    public long prefetchIds(EventView[] events, int count) {
        placesFor(count);
        for (int k = 0; k < count; k++) {
            packIds(events[k], k);
        }
        long read = 0;
        for (int k = 0; k < count; k++) {
            if (devicePlaces[k] >= 0) {
                read += devices.read(devicePlaces[k]);
            }
            if (chatPlaces[k] >= 0) {
                read += chats.read(chatPlaces[k]);
            }
            if (userPlaces[k] >= 0) {
                read += users.read(userPlaces[k]);
            }
        }
        return read;
    }

    /** Packs the keys of the ids (all but the message's) of event {@code k} of a batch, and places them. */
    private void packIds(EventView e, int k) {
        int device = -1;
        int chat = -1;
        int user = -1;
        switch (e.type()) {
            case DELIVER -> {
                device = placeDevice(e, k);
                chat = placeChat(e, k);
                user = placeUser(e, EventView.FROM, k);
            }
            case SEND, ACK, FAIL, READ -> {
                device = placeDevice(e, k);
                chat = placeChat(e, k);
            }
            case RECEIPT -> {
                device = placeDevice(e, k);
                chat = placeChat(e, k);
                user = placeUser(e, EventView.BY, k);
            }
            case MEMBER -> {
                user = placeUser(e, EventView.USER, k);
                chat = placeChat(e, k);
            }
            case CONNECT, DISCONNECT, TYPING -> device = placeDevice(e, k);
            case PRESENCE -> {
                device = placeDevice(e, k);
                user = placeUser(e, EventView.ABOUT, k);
            }
            default -> {
            }
        }
        devicePlaces[k] = device;
        chatPlaces[k] = chat;
        userPlaces[k] = user;
    }

    private int placeDevice(EventView e, int k) {
        devices.pack(deviceKeys[k], e.bytes(), e.start(EventView.USER), e.length(EventView.USER),
                e.start(EventView.DEVICE), e.length(EventView.DEVICE));
        return devices.place(deviceKeys[k]);
    }

    private int placeChat(EventView e, int k) {
        chats.pack(chatKeys[k], 0, e.bytes(), e.start(EventView.CHAT), e.length(EventView.CHAT));
        return chats.place(chatKeys[k]);
    }

    private int placeUser(EventView e, int field, int k) {
        users.pack(userKeys[k], 0, e.bytes(), e.start(field), e.length(field));
        return users.place(userKeys[k]);
    }

    /** Reads the slots where the messages of steps that {@link #internIds} filled will be found. */
    public long prefetchMessages(EventView[] events, Step[] steps, int count) {
        placesFor(count);
        for (int k = 0; k < count; k++) {
            packMessage(events[k], steps[k], k);
        }
        long read = 0;
        for (int k = 0; k < count; k++) {
            if (messagePlaces[k] >= 0) {
                read += messages.read(messagePlaces[k]);
            }
        }
        return read;
    }

    /** Packs the key of the message that event {@code k} of a batch names, if any, and places it. */
    private void packMessage(EventView e, Step s, int k) {
        int sender = switch (s.kind) {
            case DELIVER -> s.otherUser;
            case SEND, ACK, FAIL -> s.user;
            default -> -1;
        };
        if (sender < 0) {
            messagePlaces[k] = -1;
            return;
        }
        PackedKey key = messageKeys[k];
        messagePrefixes[k] = LongIntMap.pack(s.chat, sender);
        messages.pack(key, messagePrefixes[k], e.bytes(), e.start(EventView.CMID), e.length(EventView.CMID));
        messagePlaces[k] = messages.place(key);
    }

    /** Reads the rows of interned steps' devices, messages and chats that {@link #resolve} will read. */
    public long prefetchRows(Step[] steps, int count) {
        placesFor(count);
        for (int k = 0; k < count; k++) {
            Step s = steps[k];
            seqPlaces[k] = s.kind == Kind.DELIVER || s.kind == Kind.ACK ? seqOwners.place(s.chat, s.seq) : -1;
        }
        long read = 0;
        for (int k = 0; k < count; k++) {
            Step s = steps[k];
            if (s.device >= 0) {
                read += deviceChats.touch(s.device);
            }
            if (s.message >= 0) {
                read += messageRows[s.message * MESSAGE_FIELDS];
            }
            if (seqPlaces[k] >= 0) {
                read += seqOwners.read(seqPlaces[k]);
            }
        }
        return read;
    }

    /** Reads, through the rows {@link #prefetchRows} read, the (device, chat) rows and chat logs. */
    public long prefetchDetails(Step[] steps, int count) {
        long read = 0;
        for (int k = 0; k < count; k++) {
            Step s = steps[k];
            if (s.kind == Kind.DELIVER || s.kind == Kind.READ || s.kind == Kind.RECEIPT) {
                DeviceChat row = deviceChats.find(s.device, s.chat);
                if (row != null) {
                    s.rowHint = row.id;
                    read += row.maxSeq;
                }
                if (s.kind == Kind.DELIVER) {
                    // A delivery looks at the membership: through its row, or by key for a row's first delivery.
                    ChatMembership membership = row == null ? null : row.membership;
                    read += membership != null ? membership.epoch : membershipsByKey.touch(LongIntMap.pack(s.user, s.chat));
                }
            } else if (s.kind == Kind.MEMBER) {
                read += membershipsByKey.touch(LongIntMap.pack(s.user, s.chat));
            }
            if (s.kind == Kind.DELIVER || s.kind == Kind.ACK) {
                read += chatLogs.get(s.chat).maxSeq();
            }
        }
        return read;
    }

    /**
     * Completes a step that {@link #intern} returned with what was true just before its event,
     * without applying it. Steps are resolved, judged and absorbed one at a time, in event order.
     */
    public Step resolve(Step s) {
        stepRow = null;
        switch (s.kind) {
            case DELIVER -> resolveDeliver(s);
            case SEND -> s.firstSend = field(s.message, SEND_LINE) == 0;
            case ACK -> beforeBinding(s);
            case READ, RECEIPT -> s.deviceChat = deviceChat(s).id;
            case MEMBER -> {
                s.membership = membership(s.user, s.chat).id;
                s.memberNow = memberships.get(s.membership).member;
            }
            default -> {
            }
        }
        return s;
    }

    /** Interns and resolves {@code event} at {@code line} at once, without applying it. */
    public Step resolve(EventView event, long line) {
        return resolve(intern(event, line));
    }

    private void resolveDeliver(Step s) {
        if (field(s.message, SENDER_DEVICE) == s.device) {
            // A device records no deliver of its own message; one that appears is ignored.
            s.ownDelivery = true;
            return;
        }
        DeviceChat dc = deviceChat(s);
        s.deviceChat = dc.id;
        s.maxDeliveredBefore = dc.maxSeq;
        s.maxDeliveredLine = dc.maxLine;
        ChatMembership membership = dc.membership;
        if (membership == null) {
            membership = membership(s.user, s.chat);
            dc.membership = membership;
        }
        s.membership = membership.id;
        s.memberNow = membership.member;
        beforeBinding(s);
        if (s.memberNow) {
            findSkippedOwed(s, dc, membership);
        }
    }

    private void beforeBinding(Step s) {
        s.seqOwnerBefore = seqOwners.get(s.chat, s.seq);
        s.messageSeqBefore = field(s.message, SEQ);
        s.commitsNow = field(s.message, COMMIT_LINE) == 0;
    }

    /**
     * Finds the owed messages that this delivery proves skipped: committed since the user's
     * current join, not sent by this device, below the delivered seq and not delivered here yet.
     * Each is put in {@link Step#holes} once and then remembered as missing.
     */
    private void findSkippedOwed(Step s, DeviceChat dc, ChatMembership membership) {
        syncEpoch(dc, membership);
        ChatLog log = chatLogs.get(s.chat);
        long delivered = s.seq;
        long base = Math.max(dc.maxSeq, membership.joinMaxSeq);

        // Late commits since this device last looked: below base they are not covered by the range scan.
        for (int i = dc.cursor; i < log.lateCount(); i++) {
            int late = log.lateAt(i);
            if (late == s.message || field(late, SENDER_DEVICE) == s.device) {
                continue;
            }
            long lateSeq = field(late, SEQ);
            if (lateSeq > base) {
                continue;
            }
            if (lateSeq < delivered) {
                hole(s, dc, late);
            } else {
                dc.waiting().add(late);
            }
        }
        dc.cursor = log.lateCount();

        if (dc.missing != null) {
            dc.missing.removeValue(s.message);
        }
        if (dc.waiting != null) {
            for (int i = dc.waiting.size() - 1; i >= 0; i--) {
                int waiting = dc.waiting.get(i);
                if (waiting == s.message) {
                    dc.waiting.removeValue(waiting);
                } else if (field(waiting, SEQ) < delivered) {
                    dc.waiting.removeValue(waiting);
                    hole(s, dc, waiting);
                }
            }
        }

        if (delivered > base) {
            for (int k = log.firstAbove(base); k < log.size() && log.seqAt(k) < delivered; k++) {
                int skipped = log.messageAt(k);
                if (skipped != s.message && field(skipped, SENDER_DEVICE) != s.device) {
                    hole(s, dc, skipped);
                }
            }
        }
    }

    private static void hole(Step s, DeviceChat dc, int message) {
        s.holes.add(message);
        dc.missing().add(message);
    }

    /** A new period of membership forgets what an older one owed and skips the late log before it. */
    private static void syncEpoch(DeviceChat dc, ChatMembership membership) {
        if (dc.epoch != membership.epoch) {
            dc.epoch = membership.epoch;
            dc.cursor = Math.max(dc.cursor, membership.lateAtJoin);
            dc.missing = null;
            dc.waiting = null;
        }
    }

    /**
     * Reads where {@link #seqOwner} and {@link #delivered} will look to tell whether {@code user}
     * has {@code seq} of the chat, as a delivered receipt's judge asks: a hint (see {@link
     * #prefetchIds}).
     */
    public long prefetchDelivered(int user, int chat, long seq) {
        long read = seqOwners.read(seqOwners.place(chat, seq));
        IntList devices = userDevices.get(user);
        for (int i = 0; i < devices.size(); i++) {
            read += deviceChats.touch(devices.get(i));
        }
        return read;
    }

    // ---------------------------------------------------------------- phase 2: absorb

    /** Applies the step {@link #resolve} returned last. */
    public void absorb(Step s) {
        events++;
        switch (s.kind) {
            case DELIVER -> {
                if (!s.ownDelivery) {
                    DeviceChat dc = deviceChats.row(s.deviceChat);
                    if (field(s.message, FIRST_DELIVER_LINE) == 0) {
                        setField(s.message, FIRST_DELIVER_LINE, s.line);
                    }
                    bind(s, dc);
                    dc.delivered(s.seq, s.line);
                }
            }
            case SEND -> {
                if (s.firstSend) {
                    setField(s.message, SEND_LINE, s.line);
                    setField(s.message, SENDER_DEVICE, s.device);
                }
            }
            case ACK -> {
                if (field(s.message, ACK_LINE) == 0) {
                    setField(s.message, ACK_LINE, s.line);
                }
                bind(s, null);
            }
            case FAIL -> {
                if (field(s.message, FAIL_LINE) == 0) {
                    setField(s.message, FAIL_LINE, s.line);
                }
            }
            case MEMBER -> absorbMember(s);
            case CONNECT -> {
                if (deviceConnected.get(s.device) == 0) {
                    deviceConnected.set(s.device, 1);
                    changeOnline(s.user, +1, s.t);
                }
                if (quiesceLine > 0 && deviceLiveAfterQuiesce.get(s.device) == 0) {
                    deviceLiveAfterQuiesce.set(s.device, s.line);
                }
            }
            case DISCONNECT -> {
                if (deviceConnected.get(s.device) != 0) {
                    deviceConnected.set(s.device, 0);
                    changeOnline(s.user, -1, s.t);
                }
            }
            case QUIESCE -> {
                if (quiesceLine == 0) {
                    quiesceLine = s.line;
                    for (int device = 0; device < deviceConnected.size(); device++) {
                        if (deviceConnected.get(device) != 0) {
                            deviceLiveAfterQuiesce.set(device, s.line);
                        }
                    }
                }
            }
            default -> {
            }
        }
    }

    /** Binds seq and message to each other where neither had a binding, and commits a new message. */
    private void bind(Step s, DeviceChat delivering) {
        seqOwners.putIfAbsent(s.chat, s.seq, s.message);
        if (field(s.message, SEQ) == 0) {
            setField(s.message, SEQ, s.seq);
        }
        if (s.commitsNow) {
            setField(s.message, COMMIT_LINE, s.line);
            ChatLog log = chatLogs.get(s.chat);
            int lateBefore = log.lateCount();
            boolean late = log.commit(s.seq, s.message);
            // The delivering device has just looked at the late log; it need not find its own delivery there.
            if (late && delivering != null && delivering.cursor == lateBefore) {
                delivering.cursor = lateBefore + 1;
            }
        }
    }

    private void absorbMember(Step s) {
        ChatMembership m = memberships.get(s.membership);
        boolean add = s.op == MemberOp.ADD;
        if (add && !m.member) {
            ChatLog log = chatLogs.get(s.chat);
            m.join(s.line, log.maxSeq(), log.lateCount());
        } else if (!add && m.member) {
            m.leave(s.line);
        }
    }

    private void changeOnline(int user, int delta, long t) {
        int before = userOnlineDevices.get(user);
        int after = before + delta;
        userOnlineDevices.set(user, after);
        if ((before == 0) != (after == 0)) {
            userStateChangedT.set(user, t);
        }
    }

    private long field(int message, int field) {
        return messageRows[message * MESSAGE_FIELDS + field];
    }

    private void setField(int message, int field, long value) {
        messageRows[message * MESSAGE_FIELDS + field] = value;
    }

    // ---------------------------------------------------------------- interning

    /** The user named by the event's id field {@code field} (user, from, by or about), packed in {@code userKeys[k]}. */
    private int user(EventView e, int field, int k) {
        int before = users.size();
        return added(users.intern(userKeys[k], 0, e.bytes(), e.start(field), e.length(field)), before);
    }

    /** The user of a new device. */
    private int user(EventView e, int field) {
        int before = users.size();
        return added(users.intern(0, e.bytes(), e.start(field), e.length(field)), before);
    }

    /** The user {@code id}, given a row of its own when it is new (the table had {@code before} users). */
    private int added(int id, int before) {
        if (id == before) {
            userDevices.add(new IntList(2));
            userOnlineDevices.add(0);
            userStateChangedT.add(-1);
        }
        return id;
    }

    private void device(Step s, EventView e, int k) {
        int before = devices.size();
        int id = devices.intern(deviceKeys[k], e.bytes(), e.start(EventView.USER), e.length(EventView.USER),
                e.start(EventView.DEVICE), e.length(EventView.DEVICE));
        if (id == before) {
            int user = user(e, EventView.USER);
            // Kept in the device's slot too, so that finding a device finds its user without another miss.
            devices.attach(user);
            userDevices.get(user).add(id);
            deviceUser.add(user);
            deviceConnected.add(0);
            deviceLiveAfterQuiesce.add(0);
        }
        s.device = id;
        s.user = devices.attachment();
    }

    private int chat(EventView e, int k) {
        int before = chats.size();
        int id = chats.intern(chatKeys[k], 0, e.bytes(), e.start(EventView.CHAT), e.length(EventView.CHAT));
        if (id == before) {
            chatLogs.add(new ChatLog());
        }
        return id;
    }

    private int message(EventView e, int k) {
        int before = messages.size();
        int id = messages.intern(messageKeys[k], messagePrefixes[k], e.bytes(), e.start(EventView.CMID), e.length(EventView.CMID));
        if (id == before) {
            int end = (id + 1) * MESSAGE_FIELDS;
            if (end > messageRows.length) {
                messageRows = java.util.Arrays.copyOf(messageRows, Math.max(end, messageRows.length * 2));
            }
            setField(id, SENDER_DEVICE, -1);
        }
        return id;
    }

    private ChatMembership membership(int user, int chat) {
        long key = LongIntMap.pack(user, chat);
        ChatMembership membership = membershipsByKey.get(key);
        if (membership == null) {
            membership = new ChatMembership(memberships.size(), user, chat);
            membershipsByKey.put(membership);
            memberships.add(membership);
        }
        return membership;
    }

    /** The step's (device, chat) row, created when new: the one prefetching found, if it found one. */
    private DeviceChat deviceChat(Step s) {
        DeviceChat dc = s.rowHint >= 0 ? deviceChats.row(s.rowHint) : deviceChats.intern(s.device, s.chat);
        stepRow = dc;
        return dc;
    }

    /** The (device, chat) row, or null: the current event's own row without a look-up. */
    private DeviceChat row(int device, int chat) {
        DeviceChat row = stepRow;
        if (row != null && row.device == device && row.chat == chat) {
            return row;
        }
        return deviceChats.find(device, chat);
    }

    // ---------------------------------------------------------------- queries for invariants

    /** Number of events absorbed so far. */
    public long events() {
        return events;
    }

    /** Line of the first quiesce, 0 when none so far. */
    public long quiesceLine() {
        return quiesceLine;
    }

    public String userName(int user) {
        return users.name(user);
    }

    public String chatName(int chat) {
        return chats.name(chat);
    }

    /** "user/device", the way reports name a device. */
    public String deviceLabel(int device) {
        return devices.first(device) + "/" + devices.second(device);
    }

    public int userOfDevice(int device) {
        return deviceUser.get(device);
    }

    public IntList devicesOf(int user) {
        return userDevices.get(user);
    }

    public int userCount() {
        return users.size();
    }

    /**
     * Whether the device is live after the first quiesce, and from which line: the quiesce's line
     * when its session was open at the quiesce, else the line of its first connect after it; 0
     * when neither.
     */
    public long liveAfterQuiesceLine(int device) {
        return deviceLiveAfterQuiesce.get(device);
    }

    /** True when at least one device of the user has an open session. */
    public boolean userOnline(int user) {
        return userOnlineDevices.get(user) > 0;
    }

    /** The {@code t} at which the user last went online or offline, -1 if never. */
    public long userStateChangedT(int user) {
        return userStateChangedT.get(user);
    }

    public int messageCount() {
        return messages.size();
    }

    public int messageChat(int message) {
        return (int) (messages.prefix(message) >>> 32);
    }

    public int messageSender(int message) {
        return (int) messages.prefix(message);
    }

    public String messageCmid(int message) {
        return messages.name(message);
    }

    /** The device of the message's first send, -1 if it was never sent. */
    public int messageSenderDevice(int message) {
        return (int) field(message, SENDER_DEVICE);
    }

    public long messageSendLine(int message) {
        return field(message, SEND_LINE);
    }

    /** The first seq bound to the message (by its commit), 0 if none. */
    public long messageSeq(int message) {
        return field(message, SEQ);
    }

    public long messageCommitLine(int message) {
        return field(message, COMMIT_LINE);
    }

    public long messageAckLine(int message) {
        return field(message, ACK_LINE);
    }

    public long messageFailLine(int message) {
        return field(message, FAIL_LINE);
    }

    /** Line of the message's first delivery (own deliveries ignored), 0 if none. */
    public long messageFirstDeliverLine(int message) {
        return field(message, FIRST_DELIVER_LINE);
    }

    /** The message that {@code seq} first named in the chat, -1 if none. */
    public int seqOwner(int chat, long seq) {
        return seqOwners.get(chat, seq);
    }

    /** The highest seq the device delivered in the chat (its own messages excluded), 0 if none. */
    public long maxDelivered(int device, int chat) {
        DeviceChat dc = row(device, chat);
        return dc == null ? 0 : dc.maxSeq;
    }

    /** The line of that delivery, 0 if none. */
    public long maxDeliveredLine(int device, int chat) {
        DeviceChat dc = row(device, chat);
        return dc == null ? 0 : dc.maxLine;
    }

    /** True when the device delivered {@code seq} in the chat (its own messages excluded). */
    public boolean delivered(int device, int chat, long seq) {
        DeviceChat dc = row(device, chat);
        return dc != null && dc.hasDelivered(seq);
    }

    public int membershipCount() {
        return memberships.size();
    }

    public int membershipUser(int membership) {
        return memberships.get(membership).user;
    }

    public int membershipChat(int membership) {
        return memberships.get(membership).chat;
    }

    public boolean isMember(int membership) {
        return memberships.get(membership).member;
    }

    /** Line at which the current (or last) period of membership began. */
    public long joinLine(int membership) {
        return memberships.get(membership).joinLine;
    }

    /** True when the user was a member of the chat at {@code line} (strictly inside a period). */
    public boolean wasMemberAt(int user, int chat, long line) {
        ChatMembership membership = membershipsByKey.get(LongIntMap.pack(user, chat));
        return membership != null && membership.memberAt(line);
    }

    /**
     * The owed messages that {@code device} (whose user is a member through {@code membership})
     * has not delivered: committed during the current period of membership, not sent by the
     * device itself. Adds them to {@code out}.
     */
    public void missingOwed(int device, int membershipId, IntList out) {
        ChatMembership membership = memberships.get(membershipId);
        ChatLog log = chatLogs.get(membership.chat);
        DeviceChat dc = deviceChats.find(device, membership.chat);
        long base;
        int cursor;
        if (dc == null) {
            base = membership.joinMaxSeq;
            cursor = membership.lateAtJoin;
        } else {
            syncEpoch(dc, membership);
            base = Math.max(dc.maxSeq, membership.joinMaxSeq);
            cursor = dc.cursor;
            addAll(dc.missing, out);
            addAll(dc.waiting, out);
        }
        for (int i = cursor; i < log.lateCount(); i++) {
            int late = log.lateAt(i);
            if (field(late, SEQ) <= base && field(late, SENDER_DEVICE) != device) {
                out.add(late);
            }
        }
        for (int k = log.firstAbove(base); k < log.size(); k++) {
            int message = log.messageAt(k);
            if (field(message, SENDER_DEVICE) != device) {
                out.add(message);
            }
        }
    }

    /**
     * How many committed messages the device is owed through this membership: those of the chat
     * committed since the user's latest join, other than the device's own.
     */
    public long owedCount(int device, int membershipId) {
        ChatMembership membership = memberships.get(membershipId);
        ChatLog log = chatLogs.get(membership.chat);
        long owed = 0;
        for (int k = 0; k < log.size(); k++) {
            int message = log.messageAt(k);
            if (field(message, COMMIT_LINE) > membership.joinLine && field(message, SENDER_DEVICE) != device) {
                owed++;
            }
        }
        return owed;
    }

    private static void addAll(IntList from, IntList out) {
        if (from != null) {
            for (int i = 0; i < from.size(); i++) {
                out.add(from.get(i));
            }
        }
    }
}
