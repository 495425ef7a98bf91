package dev.chatlab.core.client;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;


import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The device side of the chat protocol, as a state machine with no I/O: it connects and
 * authenticates, sends with a client message id and retries it until acknowledged, shows each
 * chat's messages in order (holding back what arrives early until the hole fills or a sync
 * settles it), keeps a cursor per chat, reports delivered and read watermarks, and reconnects by
 * its policy. It records the history events a device observes.
 *
 * <pre>{@code
 * var phone = new ClientDevice("alice", "phone", ClientConfig.defaults(), new SplittableRandom(seed));
 * List<ClientEffect> out = phone.onUserAction(new UserAction.GoOnline(), now); // -> Connect
 * out = phone.onConnected(now);                                                // -> SendFrame(hello)
 * }</pre>
 */
public final class ClientDevice {

    /**
     * The {@code reason} of the {@code disconnect} a device records when its user goes offline on
     * purpose: not a lost connection, so no reconnect follows it and reconnect times leave it out.
     */
    public static final String WENT_OFFLINE = "user went offline";

    private final String user;
    private final String device;
    private final ClientConfig config;
    private final RandomGenerator random;

    private boolean wantOnline;
    private boolean transportOpen;
    /** A connection attempt is in flight: never open a second transport beside it. */
    private boolean connecting;
    private boolean welcomed;
    private long connectionGeneration;
    private int reconnectAttempt;
    private long lastReconnectDelay;

    private final LinkedHashMap<String, PendingSend> outbox = new LinkedHashMap<>();
    private final Map<String, ChatView> chats = new TreeMap<>();
    private final Map<String, Long> receiptMarks = new HashMap<>();
    private final List<String> watching = new ArrayList<>();
    private long refusedSends;
    private long abandonedSends;
    /**
     * Cmids given up as indeterminate (the newest {@code outboxMax}): if one shows up stored, that is its ack.
     * Made at the first one: a host such as the recording fleet holds thousands of devices that never give one up.
     */
    private java.util.LinkedHashSet<String> abandoned;

    /** The effects of the input being handled; null between inputs (one empty list less a device). */
    private List<ClientEffect> out;
    private long now;

    public ClientDevice(String user, String device, ClientConfig config, RandomGenerator random) {
        this.user = user;
        this.device = device;
        this.config = config;
        this.random = random;
    }

    public String user() {
        return user;
    }

    public String device() {
        return device;
    }

    public boolean online() {
        return welcomed;
    }

    public int outboxSize() {
        return outbox.size();
    }

    /** Sends refused locally because the outbox was full. */
    public long refusedSends() {
        return refusedSends;
    }

    /** Sends given up with an unknown outcome: refused on a retry, so an earlier attempt may have been stored. */
    public long abandonedSends() {
        return abandonedSends;
    }

    /** The device's cursor in a chat (0 if it does not know the chat). */
    public long cursor(String chat) {
        ChatView view = chats.get(chat);
        return view == null ? 0 : view.cursor;
    }

    // ---- inputs ------------------------------------------------------------------------------

    public List<ClientEffect> onUserAction(UserAction action, long nowMicros) {
        begin(nowMicros);
        if (action instanceof UserAction.GoOnline) {
            if (!wantOnline) {
                wantOnline = true;
                reconnectAttempt = 0;
                connect();
            } else if (!transportOpen && !connecting) {
                // The user opens the app while it waits out a reconnect backoff (up to the policy's
                // cap, 10 s by default): try now, with a fresh backoff. The pending timer is void.
                reconnectAttempt = 0;
                lastReconnectDelay = 0;
                connectionGeneration++;
                connect();
            }
        } else if (action instanceof UserAction.GoOffline) {
            wantOnline = false;
            if (transportOpen) {
                emit(new ClientEffect.Disconnect());
                lost(WENT_OFFLINE);
            }
        } else if (action instanceof UserAction.SendMessage send) {
            if (outbox.size() >= config.outboxMax()) {
                refusedSends++;
            } else {
                record(new HistoryEvent.Send(now, user, device, send.chat(), send.cmid()));
                PendingSend pending = new PendingSend(send.chat(), send.cmid(), send.body());
                outbox.put(send.cmid(), pending);
                chat(send.chat());
                if (welcomed) {
                    transmit(pending);
                }
            }
        } else if (action instanceof UserAction.ReadChat read) {
            ChatView view = chats.get(read.chat());
            if (view != null && view.lastShown > view.lastRead) {
                view.lastRead = view.lastShown;
                record(new HistoryEvent.Read(now, user, device, read.chat(), view.lastShown));
                if (welcomed) {
                    frame(new Frame.Read(read.chat(), view.lastShown));
                }
            }
        } else if (action instanceof UserAction.Type type) {
            if (welcomed) {
                frame(new Frame.Typing(type.chat()));
            }
        } else if (action instanceof UserAction.ChangeMembership change) {
            if (welcomed) {
                frame(new Frame.Membership(change.chat(), change.user(), change.op()));
            }
        } else if (action instanceof UserAction.WatchPresence watch) {
            watching.addAll(watch.users());
            if (welcomed) {
                frame(new Frame.Watch(watch.users()));
            }
        }
        return end();
    }

    /** The transport is open: introduce the device. */
    public List<ClientEffect> onConnected(long nowMicros) {
        begin(nowMicros);
        connecting = false;
        transportOpen = true;
        if (!wantOnline) {
            emit(new ClientEffect.Disconnect());
            transportOpen = false;
        } else {
            frame(new Frame.Hello(user, device, null));
        }
        return end();
    }

    /** The transport closed or could not be opened. */
    public List<ClientEffect> onDisconnected(long nowMicros, String reason) {
        begin(nowMicros);
        lost(reason);
        return end();
    }

    public List<ClientEffect> onTimer(String timer, long nowMicros) {
        begin(nowMicros);
        int hash = timer.indexOf('#');
        String kind = hash < 0 ? timer : timer.substring(0, hash);
        String rest = hash < 0 ? "" : timer.substring(hash + 1);
        if (kind.equals("reconnect")) {
            if (wantOnline && Long.parseLong(rest) == connectionGeneration) {
                connect();
            }
            return end();
        }
        if (!welcomed || !rest.startsWith(connectionGeneration + ":")) {
            return end();
        }
        String arg = rest.substring(rest.indexOf(':') + 1);
        if (kind.equals("heartbeat")) {
            frame(new Frame.Ping(now));
            timer("heartbeat", "", now + config.heartbeatMicros());
        } else if (kind.equals("retry")) {
            for (PendingSend pending : outbox.values()) {
                if (now - pending.sentAtMicros >= config.ackTimeoutMicros()) {
                    transmit(pending);
                }
            }
            for (ChatView view : chats.values()) {
                // A sync whose request or answer was lost (its owner died, a link was cut) would
                // otherwise hold the chat in "syncing" for the rest of the session, deaf to every hole.
                if (view.syncing && now - view.syncSentAtMicros >= config.ackTimeoutMicros() / 2) {
                    view.syncing = false;
                    sync(view, view.syncForPull);
                }
            }
            timer("retry", "", now + config.ackTimeoutMicros() / 2);
        } else if (kind.equals("hole")) {
            ChatView view = chats.get(arg);
            if (view != null) {
                view.holeTimerArmed = false;
                if (!view.syncing && (view.needsSync || !view.bufferEmpty() || view.evidentHead > view.cursor)) {
                    sync(view, false);
                }
            }
        }
        return end();
    }

    public List<ClientEffect> onFrame(Frame frame, long nowMicros) {
        begin(nowMicros);
        if (frame instanceof Frame.Welcome welcome) {
            welcomed(welcome);
        } else if (frame instanceof Frame.Deliver deliver) {
            deliver(deliver);
        } else if (frame instanceof Frame.Ack ack) {
            acked(ack);
        } else if (frame instanceof Frame.Fail fail) {
            failed(fail);
        } else if (frame instanceof Frame.SyncDone done) {
            syncDone(done);
        } else if (frame instanceof Frame.Notify notify) {
            ChatView view = chat(notify.chat());
            // A sync outstanding for longer than a hole may wait was most likely lost: ask again now.
            if (view.syncing && now - view.syncSentAtMicros >= config.holeWaitMicros()) {
                view.syncing = false;
            }
            if (notify.seq() > view.cursor && !view.syncing) {
                sync(view, true);
            } else if (notify.seq() <= view.cursor && welcomed && !view.left) {
                // Nothing to fetch: the owner asks because it has no watermark of this device (it took
                // the chat over, or the report was lost); tell it, or it keeps asking.
                frame(new Frame.Delivered(view.chat, deliveredMark(view)));
            }
        } else if (frame instanceof Frame.Receipt receipt) {
            String key = receipt.chat() + '\u0000' + receipt.by() + '\u0000' + receipt.state();
            long previous = receiptMarks.getOrDefault(key, 0L);
            // The UI never takes a tick back: an older watermark arriving late is not shown.
            if (receipt.seq() > previous) {
                receiptMarks.put(key, receipt.seq());
                record(new HistoryEvent.Receipt(now, user, device, receipt.chat(), receipt.by(), receipt.state(), receipt.seq()));
            }
            ChatView view = chats.get(receipt.chat());
            if (view != null) {
                behindUpTo(view, receipt.seq());
            }
        } else if (frame instanceof Frame.PresenceNotice p) {
            record(new HistoryEvent.Presence(now, user, device, p.about(), p.state(),
                    p.lastSeenMicros() < 0 ? null : p.lastSeenMicros()));
        } else if (frame instanceof Frame.TypingNotice t) {
            record(new HistoryEvent.Typing(now, user, device, t.chat(), t.from()));
        } else if (frame instanceof Frame.Membership m && m.user().equals(user)) {
            ChatView view = chat(m.chat());
            if (m.op() == MemberOp.ADD) {
                view.left = false;
                sync(view, false);
            } else {
                // Stop showing the chat before confirming, so that nothing of it is shown after the
                // confirmation; keep the cursor, so a later re-add resumes rather than repeats.
                view.left = true;
                view.buffer = null;
                view.syncing = false;
                frame(new Frame.Left(m.chat()));
            }
        } else if (frame instanceof Frame.Error error) {
            if (error.code() == ErrorCode.NOT_A_MEMBER) {
                for (ChatView view : chats.values()) {
                    view.syncing = false;
                }
            }
        }
        return end();
    }

    // ---- behaviour -------------------------------------------------------------------------------

    private void welcomed(Frame.Welcome welcome) {
        welcomed = true;
        reconnectAttempt = 0;
        lastReconnectDelay = 0;
        record(new HistoryEvent.Connect(now, user, device, welcome.node()));
        TreeSet<String> listed = new TreeSet<>();
        for (Frame.ChatHead head : welcome.chats()) {
            listed.add(head.chat());
        }
        // A chat the device knew but the server no longer lists: the user left it while this device was away.
        for (ChatView view : chats.values()) {
            view.left = !listed.contains(view.chat);
        }
        for (Frame.ChatHead head : welcome.chats()) {
            ChatView view = chat(head.chat());
            view.left = false;
            if (head.lastSeq() > view.cursor || !view.bufferEmpty()) {
                sync(view, false);
            }
        }
        for (PendingSend pending : outbox.values()) {
            transmit(pending);
        }
        if (!watching.isEmpty()) {
            frame(new Frame.Watch(watching));
        }
        timer("heartbeat", "", now + config.heartbeatMicros());
        timer("retry", "", now + config.ackTimeoutMicros() / 2);
    }

    private void connect() {
        if (!transportOpen && !connecting) {
            connecting = true;
            emit(new ClientEffect.Connect());
        }
    }

    private void lost(String reason) {
        boolean wasWelcomed = welcomed;
        connecting = false;
        transportOpen = false;
        welcomed = false;
        connectionGeneration++;
        for (ChatView view : chats.values()) {
            // What was held back or asked for on the old connection is fetched again by the next sync.
            view.buffer = null;
            view.syncing = false;
            view.holeTimerArmed = false;
        }
        if (wasWelcomed) {
            record(new HistoryEvent.Disconnect(now, user, device, reason));
        }
        if (wantOnline) {
            reconnectAttempt++;
            long delay = config.reconnect().delayMicros(reconnectAttempt, lastReconnectDelay, random);
            lastReconnectDelay = delay;
            emit(new ClientEffect.SetTimer("reconnect#" + connectionGeneration, now + delay));
        }
    }

    private void deliver(Frame.Deliver d) {
        ChatView view = chat(d.chat());
        if (view.left) {
            return;
        }
        if (d.from().equals(user) && outbox.remove(d.cmid()) != null) {
            // Our own message, stored but not yet acknowledged (the ack was lost, or is still on its
            // way): the stored copy is its ack. Waiting for the retry's ack would leave it unsettled
            // for an ack timeout while the watermark already covers it.
            acknowledged(d.chat(), d.cmid(), d.seq());
            return;
        }
        if (d.from().equals(user) && view.ownCmids != null && view.ownCmids.contains(d.cmid())) {
            return;
        }
        if (d.from().equals(user) && abandoned != null && abandoned.remove(d.cmid())) {
            // A message given up as indeterminate was stored after all: the server's copy is its ack.
            acknowledged(d.chat(), d.cmid(), d.seq());
            return;
        }
        if (!config.contiguousSeqs()) {
            if (view.shown().add(d.seq())) {
                trimShown(view);
                show(view, d, viaOf(view, d));
                view.cursor = Math.max(view.cursor, d.seq());
                reportDelivered(view);
            }
            return;
        }
        if (d.seq() <= view.cursor) {
            return;
        }
        if (d.via() == Via.SYNC) {
            // A sync page is the store's complete order: a seq skipped inside it does not exist.
            if (view.buffer != null) {
                view.buffer.remove(d.seq());
            }
            show(view, d, viaOf(view, d));
            view.cursor = d.seq();
            advance(view);
            return;
        }
        if (view.buffer != null && view.buffer.containsKey(d.seq())) {
            return;
        }
        if (d.seq() == view.cursor + 1) {
            show(view, d, Via.PUSH);
            view.cursor = d.seq();
            advance(view);
            return;
        }
        if (view.buffer != null && view.buffer.size() >= config.bufferMax()) {
            view.buffer = null;
            view.needsSync = true;
        } else {
            view.buffer().put(d.seq(), d);
        }
        armHoleTimer(view);
    }

    private Via viaOf(ChatView view, Frame.Deliver d) {
        if (d.via() == Via.SYNC && view.syncForPull) {
            return Via.PULL;
        }
        return d.via();
    }

    private void acked(Frame.Ack ack) {
        PendingSend pending = outbox.remove(ack.cmid());
        if (pending == null) {
            return;
        }
        acknowledged(ack.chat(), ack.cmid(), ack.seq());
    }

    private void acknowledged(String chat, String cmid, long seq) {
        record(new HistoryEvent.Ack(now, user, device, chat, cmid, seq));
        ChatView view = chat(chat);
        view.ownCmids().add(cmid);
        view.lastShown = Math.max(view.lastShown, seq);
        if (config.contiguousSeqs()) {
            if (seq > view.cursor) {
                view.own().add(seq);
            }
            advance(view);
            behindUpTo(view, seq);
        } else {
            view.shown().add(seq);
            view.cursor = Math.max(view.cursor, seq);
        }
    }

    /**
     * A {@code fail} answers one attempt: that attempt stored nothing ({@code unavailable}: the
     * chat's home node is down; {@code not-a-member}: the user has left). If an earlier attempt went
     * out unanswered, it may have been stored before (the home died after storing it, the user was
     * removed after it), so the device gives the message up without recording {@code fail}: its
     * outcome is unknown (indeterminate), and the checker accepts it appearing at most once.
     */
    private void failed(Frame.Fail fail) {
        PendingSend pending = outbox.get(fail.cmid());
        if (pending == null) {
            return;
        }
        outbox.remove(fail.cmid());
        if (pending.attempts > 1) {
            abandonedSends++;
            if (abandoned == null) {
                abandoned = new java.util.LinkedHashSet<>();
            }
            abandoned.add(fail.cmid());
            if (abandoned.size() > config.outboxMax()) {
                abandoned.remove(abandoned.iterator().next());
            }
        } else {
            record(new HistoryEvent.Fail(now, user, device, fail.chat(), fail.cmid()));
        }
    }

    private void syncDone(Frame.SyncDone done) {
        ChatView view = chats.get(done.chat());
        if (view == null) {
            return;
        }
        view.syncing = false;
        boolean refused = done.upToSeq() <= view.cursor && done.more();
        if (done.upToSeq() > view.cursor) {
            view.cursor = done.upToSeq();
        }
        view.needsSync = false;
        advance(view);
        if (refused) {
            view.needsSync = true;
            armHoleTimer(view);
        } else if (done.more()) {
            sync(view, view.syncForPull);
        } else if (!view.bufferEmpty()) {
            armHoleTimer(view);
        }
    }

    /** Moves the cursor over own messages and buffered ones that now follow it, showing the latter in order. */
    private void advance(ChatView view) {
        while (true) {
            long next = view.cursor + 1;
            if (view.own != null && view.own.remove(next)) {
                view.cursor = next;
                continue;
            }
            Frame.Deliver held = view.buffer == null ? null : view.buffer.remove(next);
            if (held != null) {
                show(view, held, Via.PUSH);
                view.cursor = next;
                continue;
            }
            break;
        }
        if (view.buffer != null) {
            view.buffer.headMap(view.cursor, true).clear();
        }
        if (view.own != null) {
            view.own.headSet(view.cursor, true).clear();
        }
        reportDelivered(view);
    }

    private void show(ChatView view, Frame.Deliver d, Via via) {
        record(new HistoryEvent.Deliver(now, user, device, d.chat(), d.seq(), d.cmid(), d.from(), via));
        view.lastShown = Math.max(view.lastShown, d.seq());
    }

    private void reportDelivered(ChatView view) {
        // The watermark is cumulative: an own message acked beyond a hole does not count as delivered
        // until the hole fills, or the owner would take the device for up to date (see the catch-up).
        long mark = deliveredMark(view);
        if (welcomed && mark > view.lastReported) {
            view.lastReported = mark;
            frame(new Frame.Delivered(view.chat, mark));
        }
    }

    private long deliveredMark(ChatView view) {
        return config.contiguousSeqs() ? Math.min(view.lastShown, view.cursor) : view.lastShown;
    }

    private void sync(ChatView view, boolean forPull) {
        if (view.left) {
            return;
        }
        if (!welcomed || view.syncing) {
            view.needsSync = true;
            return;
        }
        view.syncing = true;
        view.syncSentAtMicros = now;
        view.syncForPull = forPull;
        frame(new Frame.Sync(view.chat, view.cursor, config.syncPageMax()));
    }

    /**
     * Something of the chat up to {@code seq} exists (another member has it, or it is our own
     * message's seq): if the cursor is short of it, a push went missing. Pushes still on their way
     * get the hole wait to arrive; then the hole timer syncs. This is how a device that stays
     * connected catches up with a push lost on the way (a cut link, an owner that died).
     */
    private void behindUpTo(ChatView view, long seq) {
        if (seq > view.cursor && !view.left) {
            view.evidentHead = Math.max(view.evidentHead, seq);
            armHoleTimer(view);
        }
    }

    private void armHoleTimer(ChatView view) {
        if (!view.holeTimerArmed && welcomed) {
            view.holeTimerArmed = true;
            timer("hole", view.chat, now + config.holeWaitMicros());
        }
    }

    private void trimShown(ChatView view) {
        while (view.shown.size() > 4096) {
            view.shown.pollFirst();
        }
    }

    private void transmit(PendingSend pending) {
        pending.sentAtMicros = now;
        pending.attempts++;
        frame(new Frame.Send(pending.chat, pending.cmid, pending.body));
    }

    private ChatView chat(String chat) {
        return chats.computeIfAbsent(chat, ChatView::new);
    }

    private void timer(String kind, String arg, long at) {
        emit(new ClientEffect.SetTimer(kind + "#" + connectionGeneration + ":" + arg, at));
    }

    private void frame(Frame frame) {
        emit(new ClientEffect.SendFrame(frame));
    }

    private void record(HistoryEvent event) {
        emit(new ClientEffect.Record(event));
    }

    private void emit(ClientEffect effect) {
        out.add(effect);
    }

    private void begin(long nowMicros) {
        now = nowMicros;
        out = new ArrayList<>();
    }

    private List<ClientEffect> end() {
        List<ClientEffect> result = out;
        out = null;
        return result;
    }

    private static final class PendingSend {
        final String chat;
        final String cmid;
        final String body;
        long sentAtMicros;
        /** How many times the send went out: only a refused first attempt is a definite failure. */
        int attempts;

        PendingSend(String chat, String cmid, String body) {
            this.chat = chat;
            this.cmid = cmid;
            this.body = body;
        }
    }

    /** What the device knows of one chat. */
    private static final class ChatView {
        final String chat;
        long cursor;
        long lastShown;
        long lastReported;
        long lastRead;
        boolean syncing;
        boolean syncForPull;
        boolean needsSync;
        boolean holeTimerArmed;
        long syncSentAtMicros;
        /** The highest seq the device has evidence of (a receipt, its own ack); above the cursor, it is behind. */
        long evidentHead;
        /** The user left (or was removed from) the chat: nothing of it is shown until it is added back. */
        boolean left;
        // The collections below are made when first needed, and the buffer dropped when emptied: most
        // chats never hold a message back or own a seq beyond the cursor, and only clock-based ids use
        // shown. A host of thousands of idle devices (the recording fleet) holds one view a chat each.
        /** Messages that arrived early, by seq; null when none. */
        TreeMap<Long, Frame.Deliver> buffer;
        /** Own acked seqs beyond the cursor; null until the first. */
        TreeSet<Long> own;
        java.util.Set<String> ownCmids;
        TreeSet<Long> shown;

        ChatView(String chat) {
            this.chat = chat;
        }

        boolean bufferEmpty() {
            return buffer == null || buffer.isEmpty();
        }

        TreeMap<Long, Frame.Deliver> buffer() {
            if (buffer == null) {
                buffer = new TreeMap<>();
            }
            return buffer;
        }

        TreeSet<Long> own() {
            if (own == null) {
                own = new TreeSet<>();
            }
            return own;
        }

        java.util.Set<String> ownCmids() {
            if (ownCmids == null) {
                ownCmids = new java.util.HashSet<>();
            }
            return ownCmids;
        }

        TreeSet<Long> shown() {
            if (shown == null) {
                shown = new TreeSet<>();
            }
            return shown;
        }
    }

}
