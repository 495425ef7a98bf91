package dev.chatlab.checker.facts;

import dev.chatlab.checker.collect.IntList;
import dev.chatlab.checker.collect.LongIntMap;
import dev.chatlab.checker.collect.LongList;
import dev.chatlab.checker.collect.StringTable;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.Ack;
import dev.chatlab.core.history.HistoryEvent.Connect;
import dev.chatlab.core.history.HistoryEvent.Deliver;
import dev.chatlab.core.history.HistoryEvent.Disconnect;
import dev.chatlab.core.history.HistoryEvent.Fail;
import dev.chatlab.core.history.HistoryEvent.Member;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.Presence;
import dev.chatlab.core.history.HistoryEvent.Quiesce;
import dev.chatlab.core.history.HistoryEvent.Read;
import dev.chatlab.core.history.HistoryEvent.Receipt;
import dev.chatlab.core.history.HistoryEvent.Send;
import dev.chatlab.core.history.HistoryEvent.Typing;

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
 * What each device has delivered is kept as a sorted list of seqs ({@link SeenSeqs}); which owed
 * messages a device is missing is kept as a cursor into the chat's log plus a short list of
 * exceptions, so that a correct history costs nothing there.
 */
public final class HistoryFacts {

    private final Step step = new Step();

    private final StringTable users = new StringTable(1024);
    private final StringTable chats = new StringTable(1024);
    /** Devices, keyed by (user id, device name). */
    private final StringTable devices = new StringTable(1024);
    /** Messages, keyed by ((chat id, sender id) packed, cmid). */
    private final StringTable messages = new StringTable(4096);

    // per user
    private final ArrayList<IntList> userDevices = new ArrayList<>();
    private final IntList userOnlineDevices = new IntList();
    private final LongList userStateChangedT = new LongList();

    // per device
    private final IntList deviceConnected = new IntList();
    private final LongList deviceConnectAfterQuiesce = new LongList();

    // per chat
    private final ArrayList<ChatLog> chatLogs = new ArrayList<>();

    // per message
    private final IntList messageSenderDevice = new IntList(4096);
    private final LongList messageSendLine = new LongList(4096);
    private final LongList messageSeq = new LongList(4096);
    private final LongList messageCommitLine = new LongList(4096);
    private final LongList messageAckLine = new LongList(4096);
    private final LongList messageFailLine = new LongList(4096);
    private final dev.chatlab.checker.collect.IntLongIndex seqOwners =
            new dev.chatlab.checker.collect.IntLongIndex(4096);

    // per (user, chat)
    private final LongIntMap membershipIds = new LongIntMap(1024);
    private final IntList membershipUser = new IntList();
    private final IntList membershipChat = new IntList();
    private final IntList membershipMember = new IntList();
    private final IntList membershipEpoch = new IntList();
    private final LongList membershipJoinLine = new LongList();
    private final LongList membershipJoinMaxSeq = new LongList();
    private final IntList membershipLateAtJoin = new IntList();
    /** Alternating start and end lines of each period of membership; an open period has no end yet. */
    private final ArrayList<LongList> membershipPeriods = new ArrayList<>();

    // per (device, chat)
    private final LongIntMap deviceChatIds = new LongIntMap(4096);
    private final LongList deviceChatMaxSeq = new LongList(4096);
    private final LongList deviceChatMaxLine = new LongList(4096);
    private final IntList deviceChatEpoch = new IntList(4096);
    private final IntList deviceChatCursor = new IntList(4096);
    private final ArrayList<SeenSeqs> deviceChatSeen = new ArrayList<>();
    private final ArrayList<OwedGaps> deviceChatGaps = new ArrayList<>();

    private long quiesceLine;
    private long events;

    // ---------------------------------------------------------------- phase 1: resolve

    /** Resolves {@code event} at {@code line} into the shared {@link Step}, without applying it. */
    public Step resolve(HistoryEvent event, long line) {
        Step s = step;
        s.reset(event, line);
        if (event instanceof Deliver e) {
            s.kind = Kind.DELIVER;
            resolveDeliver(s, e);
        } else if (event instanceof Send e) {
            s.kind = Kind.SEND;
            device(s, e.user(), e.device());
            s.chat = chat(e.chat());
            s.message = message(s.chat, s.user, e.cmid());
            s.firstSend = messageSendLine.get(s.message) == 0;
        } else if (event instanceof Ack e) {
            s.kind = Kind.ACK;
            device(s, e.user(), e.device());
            s.chat = chat(e.chat());
            s.message = message(s.chat, s.user, e.cmid());
            s.seq = e.seq();
            beforeBinding(s);
        } else if (event instanceof Read e) {
            s.kind = Kind.READ;
            device(s, e.user(), e.device());
            s.chat = chat(e.chat());
            s.deviceChat = deviceChat(s.device, s.chat);
            s.seq = e.seq();
        } else if (event instanceof Receipt e) {
            s.kind = Kind.RECEIPT;
            device(s, e.user(), e.device());
            s.chat = chat(e.chat());
            s.deviceChat = deviceChat(s.device, s.chat);
            s.otherUser = user(e.by());
            s.seq = e.seq();
        } else if (event instanceof Member e) {
            s.kind = Kind.MEMBER;
            s.user = user(e.user());
            s.chat = chat(e.chat());
            s.membership = membership(s.user, s.chat);
            s.memberNow = membershipMember.get(s.membership) != 0;
        } else if (event instanceof Connect e) {
            s.kind = Kind.CONNECT;
            device(s, e.user(), e.device());
        } else if (event instanceof Disconnect e) {
            s.kind = Kind.DISCONNECT;
            device(s, e.user(), e.device());
        } else if (event instanceof Fail e) {
            s.kind = Kind.FAIL;
            device(s, e.user(), e.device());
            s.chat = chat(e.chat());
            s.message = message(s.chat, s.user, e.cmid());
        } else if (event instanceof Presence e) {
            s.kind = Kind.PRESENCE;
            device(s, e.user(), e.device());
            s.otherUser = user(e.about());
        } else if (event instanceof Typing e) {
            s.kind = Kind.TYPING;
            device(s, e.user(), e.device());
        } else if (event instanceof Quiesce) {
            s.kind = Kind.QUIESCE;
        } else {
            s.kind = Kind.UNKNOWN;
        }
        return s;
    }

    private void resolveDeliver(Step s, Deliver e) {
        device(s, e.user(), e.device());
        s.chat = chat(e.chat());
        s.otherUser = user(e.from());
        s.message = message(s.chat, s.otherUser, e.cmid());
        s.seq = e.seq();
        if (messageSenderDevice.get(s.message) == s.device) {
            // A device records no deliver of its own message; one that appears is ignored.
            s.ownDelivery = true;
            return;
        }
        s.deviceChat = deviceChat(s.device, s.chat);
        s.maxDeliveredBefore = deviceChatMaxSeq.get(s.deviceChat);
        s.maxDeliveredLine = deviceChatMaxLine.get(s.deviceChat);
        s.membership = membership(s.user, s.chat);
        s.memberNow = membershipMember.get(s.membership) != 0;
        beforeBinding(s);
        if (s.memberNow) {
            findSkippedOwed(s);
        }
    }

    private void beforeBinding(Step s) {
        s.seqOwnerBefore = seqOwners.get(s.chat, s.seq);
        s.messageSeqBefore = messageSeq.get(s.message);
        s.commitsNow = messageCommitLine.get(s.message) == 0;
    }

    /**
     * Finds the owed messages that this delivery proves skipped: committed since the user's
     * current join, not sent by this device, below the delivered seq and not delivered here yet.
     * Each is put in {@link Step#holes} once and then remembered as missing.
     */
    private void findSkippedOwed(Step s) {
        int dc = s.deviceChat;
        syncEpoch(dc, s.membership);
        ChatLog log = chatLogs.get(s.chat);
        long delivered = s.seq;
        long base = Math.max(s.maxDeliveredBefore, membershipJoinMaxSeq.get(s.membership));
        OwedGaps gaps = deviceChatGaps.get(dc);

        // Late commits since this device last looked: below base they are not covered by the range scan.
        for (int i = deviceChatCursor.get(dc); i < log.lateCount(); i++) {
            int late = log.lateAt(i);
            if (late == s.message || messageSenderDevice.get(late) == s.device) {
                continue;
            }
            long lateSeq = messageSeq.get(late);
            if (lateSeq > base) {
                continue;
            }
            if (gaps == null) {
                gaps = gaps(dc);
            }
            if (lateSeq < delivered) {
                hole(s, gaps, late);
            } else {
                gaps.waiting.add(late);
            }
        }
        deviceChatCursor.set(dc, log.lateCount());

        if (gaps != null) {
            gaps.missing.removeValue(s.message);
            for (int i = gaps.waiting.size() - 1; i >= 0; i--) {
                int waiting = gaps.waiting.get(i);
                if (waiting == s.message) {
                    gaps.waiting.removeValue(waiting);
                } else if (messageSeq.get(waiting) < delivered) {
                    gaps.waiting.removeValue(waiting);
                    hole(s, gaps, waiting);
                }
            }
        }

        if (delivered > base) {
            for (int k = log.firstAbove(base); k < log.size() && log.seqAt(k) < delivered; k++) {
                int skipped = log.messageAt(k);
                if (skipped == s.message || messageSenderDevice.get(skipped) == s.device) {
                    continue;
                }
                if (gaps == null) {
                    gaps = gaps(dc);
                }
                hole(s, gaps, skipped);
            }
        }
    }

    private static void hole(Step s, OwedGaps gaps, int message) {
        s.holes.add(message);
        gaps.missing.add(message);
    }

    private OwedGaps gaps(int dc) {
        OwedGaps gaps = deviceChatGaps.get(dc);
        if (gaps == null) {
            gaps = new OwedGaps();
            deviceChatGaps.set(dc, gaps);
        }
        return gaps;
    }

    /** A new period of membership forgets what an older one owed and skips the late log before it. */
    private void syncEpoch(int dc, int membership) {
        int epoch = membershipEpoch.get(membership);
        if (deviceChatEpoch.get(dc) != epoch) {
            deviceChatEpoch.set(dc, epoch);
            deviceChatCursor.set(dc, Math.max(deviceChatCursor.get(dc), membershipLateAtJoin.get(membership)));
            deviceChatGaps.set(dc, null);
        }
    }

    // ---------------------------------------------------------------- phase 2: absorb

    /** Applies the step {@link #resolve} returned last. */
    public void absorb(Step s) {
        events++;
        switch (s.kind) {
            case DELIVER -> absorbDeliver(s);
            case SEND -> {
                if (s.firstSend) {
                    messageSendLine.set(s.message, s.line);
                    messageSenderDevice.set(s.message, s.device);
                }
            }
            case ACK -> {
                if (messageAckLine.get(s.message) == 0) {
                    messageAckLine.set(s.message, s.line);
                }
                bind(s, -1);
            }
            case FAIL -> {
                if (messageFailLine.get(s.message) == 0) {
                    messageFailLine.set(s.message, s.line);
                }
            }
            case MEMBER -> absorbMember(s);
            case CONNECT -> {
                if (deviceConnected.get(s.device) == 0) {
                    deviceConnected.set(s.device, 1);
                    changeOnline(s.user, +1, s.t);
                }
                if (quiesceLine > 0 && deviceConnectAfterQuiesce.get(s.device) == 0) {
                    deviceConnectAfterQuiesce.set(s.device, s.line);
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
                }
            }
            default -> {
            }
        }
    }

    private void absorbDeliver(Step s) {
        if (s.ownDelivery) {
            return;
        }
        bind(s, s.deviceChat);
        int dc = s.deviceChat;
        seen(dc).add(s.seq);
        if (s.seq > deviceChatMaxSeq.get(dc)) {
            deviceChatMaxSeq.set(dc, s.seq);
            deviceChatMaxLine.set(dc, s.line);
        }
    }

    /** Binds seq and message to each other where neither had a binding, and commits a new message. */
    private void bind(Step s, int deliveringDeviceChat) {
        seqOwners.putIfAbsent(s.chat, s.seq, s.message);
        if (messageSeq.get(s.message) == 0) {
            messageSeq.set(s.message, s.seq);
        }
        if (s.commitsNow) {
            messageCommitLine.set(s.message, s.line);
            ChatLog log = chatLogs.get(s.chat);
            int lateBefore = log.lateCount();
            boolean late = log.commit(s.seq, s.message);
            // The delivering device has just looked at the late log; it need not find its own delivery there.
            if (late && deliveringDeviceChat >= 0 && deviceChatCursor.get(deliveringDeviceChat) == lateBefore) {
                deviceChatCursor.set(deliveringDeviceChat, lateBefore + 1);
            }
        }
    }

    private void absorbMember(Step s) {
        int m = s.membership;
        boolean add = ((Member) s.event).op() == MemberOp.ADD;
        if (add && !s.memberNow) {
            ChatLog log = chatLogs.get(s.chat);
            membershipMember.set(m, 1);
            membershipEpoch.set(m, membershipEpoch.get(m) + 1);
            membershipJoinLine.set(m, s.line);
            membershipJoinMaxSeq.set(m, log.maxSeq());
            membershipLateAtJoin.set(m, log.lateCount());
            periods(m).add(s.line);
        } else if (!add && s.memberNow) {
            membershipMember.set(m, 0);
            periods(m).add(s.line);
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

    // ---------------------------------------------------------------- interning

    private int user(String name) {
        int before = users.size();
        int id = users.intern(0, name);
        if (id == before) {
            userDevices.add(new IntList(2));
            userOnlineDevices.add(0);
            userStateChangedT.add(-1);
        }
        return id;
    }

    private void device(Step s, String userName, String deviceName) {
        s.user = user(userName);
        int before = devices.size();
        int id = devices.intern(s.user, deviceName);
        if (id == before) {
            userDevices.get(s.user).add(id);
            deviceConnected.add(0);
            deviceConnectAfterQuiesce.add(0);
        }
        s.device = id;
    }

    private int chat(String name) {
        int before = chats.size();
        int id = chats.intern(0, name);
        if (id == before) {
            chatLogs.add(new ChatLog());
        }
        return id;
    }

    private int message(int chat, int sender, String cmid) {
        int before = messages.size();
        int id = messages.intern(LongIntMap.pack(chat, sender), cmid);
        if (id == before) {
            messageSenderDevice.add(-1);
            messageSendLine.add(0);
            messageSeq.add(0);
            messageCommitLine.add(0);
            messageAckLine.add(0);
            messageFailLine.add(0);
        }
        return id;
    }

    private int membership(int user, int chat) {
        long key = LongIntMap.pack(user, chat);
        int id = membershipIds.get(key);
        if (id == LongIntMap.MISSING) {
            id = membershipUser.size();
            membershipIds.put(key, id);
            membershipUser.add(user);
            membershipChat.add(chat);
            membershipMember.add(0);
            membershipEpoch.add(0);
            membershipJoinLine.add(0);
            membershipJoinMaxSeq.add(0);
            membershipLateAtJoin.add(0);
            membershipPeriods.add(null);
        }
        return id;
    }

    private LongList periods(int membership) {
        LongList periods = membershipPeriods.get(membership);
        if (periods == null) {
            periods = new LongList(2);
            membershipPeriods.set(membership, periods);
        }
        return periods;
    }

    private int deviceChat(int device, int chat) {
        long key = LongIntMap.pack(device, chat);
        int id = deviceChatIds.get(key);
        if (id == LongIntMap.MISSING) {
            id = deviceChatMaxSeq.size();
            deviceChatIds.put(key, id);
            deviceChatMaxSeq.add(0);
            deviceChatMaxLine.add(0);
            deviceChatEpoch.add(-1);
            deviceChatCursor.add(0);
            deviceChatSeen.add(null);
            deviceChatGaps.add(null);
        }
        return id;
    }

    private SeenSeqs seen(int dc) {
        SeenSeqs seen = deviceChatSeen.get(dc);
        if (seen == null) {
            seen = new SeenSeqs();
            deviceChatSeen.set(dc, seen);
        }
        return seen;
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
        return users.name((int) devices.prefix(device)) + "/" + devices.name(device);
    }

    public int userOfDevice(int device) {
        return (int) devices.prefix(device);
    }

    public IntList devicesOf(int user) {
        return userDevices.get(user);
    }

    public int userCount() {
        return users.size();
    }

    /** Line of the device's first connect after the first quiesce, 0 when none. */
    public long connectAfterQuiesceLine(int device) {
        return deviceConnectAfterQuiesce.get(device);
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
        return messageSenderDevice.get(message);
    }

    public long messageSendLine(int message) {
        return messageSendLine.get(message);
    }

    /** The first seq bound to the message (by its commit), 0 if none. */
    public long messageSeq(int message) {
        return messageSeq.get(message);
    }

    public long messageCommitLine(int message) {
        return messageCommitLine.get(message);
    }

    public long messageAckLine(int message) {
        return messageAckLine.get(message);
    }

    public long messageFailLine(int message) {
        return messageFailLine.get(message);
    }

    /** The message that {@code seq} first named in the chat, -1 if none. */
    public int seqOwner(int chat, long seq) {
        return seqOwners.get(chat, seq);
    }

    /** The highest seq the device delivered in the chat (its own messages excluded), 0 if none. */
    public long maxDelivered(int device, int chat) {
        int dc = findDeviceChat(device, chat);
        return dc == LongIntMap.MISSING ? 0 : deviceChatMaxSeq.get(dc);
    }

    /** The line of that delivery, 0 if none. */
    public long maxDeliveredLine(int device, int chat) {
        int dc = findDeviceChat(device, chat);
        return dc == LongIntMap.MISSING ? 0 : deviceChatMaxLine.get(dc);
    }

    /** The (device, chat) id if the device ever delivered, read or saw a receipt there, else -1. */
    public int findDeviceChat(int device, int chat) {
        return deviceChatIds.get(LongIntMap.pack(device, chat));
    }

    /** True when the device delivered {@code seq} in the chat (its own messages excluded). */
    public boolean delivered(int device, int chat, long seq) {
        int dc = findDeviceChat(device, chat);
        if (dc == LongIntMap.MISSING) {
            return false;
        }
        SeenSeqs seen = deviceChatSeen.get(dc);
        return seen != null && seen.contains(seq);
    }

    public int membershipCount() {
        return membershipUser.size();
    }

    public int membershipUser(int membership) {
        return membershipUser.get(membership);
    }

    public int membershipChat(int membership) {
        return membershipChat.get(membership);
    }

    public boolean isMember(int membership) {
        return membershipMember.get(membership) != 0;
    }

    /** Line at which the current (or last) period of membership began. */
    public long joinLine(int membership) {
        return membershipJoinLine.get(membership);
    }

    /** True when the user was a member of the chat at {@code line} (strictly inside a period). */
    public boolean wasMemberAt(int user, int chat, long line) {
        int m = membershipIds.get(LongIntMap.pack(user, chat));
        if (m == LongIntMap.MISSING) {
            return false;
        }
        LongList periods = membershipPeriods.get(m);
        if (periods == null) {
            return false;
        }
        for (int i = 0; i < periods.size(); i += 2) {
            long start = periods.get(i);
            long end = i + 1 < periods.size() ? periods.get(i + 1) : Long.MAX_VALUE;
            if (start < line && line < end) {
                return true;
            }
        }
        return false;
    }

    /**
     * The owed messages that {@code device} (whose user is a member through {@code membership})
     * has not delivered: committed during the current period of membership, not sent by the
     * device itself. Adds them to {@code out}.
     */
    public void missingOwed(int device, int membership, IntList out) {
        int chat = membershipChat.get(membership);
        ChatLog log = chatLogs.get(chat);
        int dc = findDeviceChat(device, chat);
        long base;
        int cursor;
        if (dc == LongIntMap.MISSING) {
            base = membershipJoinMaxSeq.get(membership);
            cursor = membershipLateAtJoin.get(membership);
        } else {
            syncEpoch(dc, membership);
            base = Math.max(deviceChatMaxSeq.get(dc), membershipJoinMaxSeq.get(membership));
            cursor = deviceChatCursor.get(dc);
            OwedGaps gaps = deviceChatGaps.get(dc);
            if (gaps != null) {
                for (int i = 0; i < gaps.missing.size(); i++) {
                    out.add(gaps.missing.get(i));
                }
                for (int i = 0; i < gaps.waiting.size(); i++) {
                    out.add(gaps.waiting.get(i));
                }
            }
        }
        for (int i = cursor; i < log.lateCount(); i++) {
            int late = log.lateAt(i);
            if (messageSeq.get(late) <= base && messageSenderDevice.get(late) != device) {
                out.add(late);
            }
        }
        for (int k = log.firstAbove(base); k < log.size(); k++) {
            int message = log.messageAt(k);
            if (messageSenderDevice.get(message) != device) {
                out.add(message);
            }
        }
    }

    /** Owed messages a device has skipped (holes) or that came late below its last delivery. */
    private static final class OwedGaps {
        /** Skipped and already reported as holes; still owed. */
        final IntList missing = new IntList(2);
        /** Committed late below the device's last delivery but not yet due: a later delivery decides. */
        final IntList waiting = new IntList(2);
    }
}
