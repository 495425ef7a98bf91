package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.MemberState;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.store.StoredMessage;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import dev.chatlab.core.strategy.SnowflakeIds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server side of the chat protocol for one node, as a state machine with no I/O: each input
 * comes with the current time and returns the effects the host must carry out.
 *
 * <pre>{@code
 * var node = new ChatServerNode("n1", 1, ServerConfig.defaults());
 * List<ServerEffect> out = node.onClusterView(new ClusterView(1, List.of("n1")), now);
 * out = node.onFrame(session, new Frame.Hello("alice", "phone", null), now);
 * // host: write SendFrame effects to sockets, run Store effects and call onStored, ...
 * }</pre>
 *
 * <p>Roles: every node is a gateway for the devices connected to it, and the owner of the chats
 * that rendezvous hashing over the live nodes gives it (or, with pinned ownership, of the chats
 * homed on it: hashed over every configured node, and unavailable while their home is down; see
 * {@link dev.chatlab.core.strategy.Ownership}). The owner claims a chat from the shared
 * store (which fences the previous owner), sequences its messages one write at a time, persists
 * before it acknowledges, fans out, turns watermarks into receipts, and applies membership
 * changes. A removal is recorded only after every device of the removed user has confirmed it
 * stopped showing the chat, so that no message reaches a removed member.
 */
public final class ChatServerNode {

    static final String SWEEP_TIMER = "presence-sweep";
    static final String ANSWER_TIMER = "send-answer-sweep";
    /**
     * A send the chat's owner has not answered after this long (its owner died, the store hangs)
     * gets {@code error unavailable} with its chat and cmid from the device's own node; with the
     * sweep's period, every send is answered within {@code SEND_ANSWER_MICROS_MAX + SEND_ANSWER_SWEEP_MICROS}.
     */
    public static final long SEND_ANSWER_MICROS_MAX = 8_000_000;
    public static final long SEND_ANSWER_SWEEP_MICROS = 2_000_000;
    /** Why a session closed because the same device opened a newer one (hosts close it with 4000). */
    public static final String REPLACED = "replaced by a newer session of this device";
    static final String CATCH_UP_TIMER = "catch-up";
    /**
     * How often an owner looks for online members whose delivered watermark stays below what it
     * fanned out. Short, because a connected device that lost a push waits this long (up to twice)
     * for the nudge; cheap, because only chats with fan-out not yet confirmed are looked at.
     */
    static final long CATCH_UP_MICROS = 500_000;
    /**
     * Cmids an owner remembers per chat of the messages it stored, so that a resend of one is
     * answered without a write: an overloaded cluster, whose acks take longer than the client's
     * timeout, otherwise stores every message about three times and gives each attempt a seq.
     */
    static final int RECENT_CMIDS_PER_CHAT = 128;
    /**
     * Senders an owner remembers per chat of the messages it stored, newest first: a watermark's
     * rise is news only to whoever sent a message it covers, so its receipt goes to them alone.
     */
    static final int RECENT_SENDERS_PER_CHAT = 256;

    private final String nodeId;
    private final ServerConfig config;
    private final SnowflakeIds snowflakes;
    private long clockOffsetMicros;

    private ClusterView view = new ClusterView(0, List.of());
    private final Map<Long, Session> sessions = new HashMap<>();
    private final Map<String, Map<String, Session>> sessionsByUser = new TreeMap<>();
    private final Directory directory = new Directory();
    /** Local sessions watching each user's presence, so a change reaches its watchers without a scan. */
    private final Map<String, TreeMap<Long, Session>> watchersOf = new HashMap<>();
    private final Map<String, OwnedChat> chats = new HashMap<>();
    private final Map<Long, java.util.function.Consumer<StoreResult>> storeCallbacks = new HashMap<>();
    private long nextRequestId = 1;
    private boolean sweepArmed;
    private boolean answerSweepArmed;
    /** Owned chats whose latest fan-out some online member has not yet confirmed with a watermark. */
    private final TreeSet<String> unconfirmedFanOut = new TreeSet<>();
    /** Sessions whose welcome still waits for other nodes to acknowledge the device's arrival. */
    private final TreeSet<Long> unwelcomed = new TreeSet<>();
    private boolean catchUpArmed;
    /** Nodes whose directory snapshot this node still awaits; until then it serves no chat as owner. */
    private final TreeSet<String> awaitingSnapshots = new TreeSet<>();
    private final ArrayDeque<PeerMessage> deferredOwnerRequests = new ArrayDeque<>();

    private List<ServerEffect> out = new ArrayList<>();
    private long now;

    public ChatServerNode(String nodeId, long nodeNumber, ServerConfig config) {
        this.nodeId = nodeId;
        this.config = config;
        this.snowflakes = new SnowflakeIds(nodeNumber);
    }

    public String nodeId() {
        return nodeId;
    }

    public ServerConfig config() {
        return config;
    }

    /** How far this node's local clock is from true time; only clock-based sequencing reads it. */
    public void setClockOffsetMicros(long offset) {
        this.clockOffsetMicros = offset;
    }

    public int sessionCount() {
        return sessions.size();
    }

    public int ownedChatCount() {
        return chats.size();
    }

    // ---- inputs ------------------------------------------------------------------------------

    /** A frame arrived on a session; the first frame of a session must be a hello. */
    public List<ServerEffect> onFrame(long session, Frame frame, long nowMicros) {
        begin(nowMicros);
        Session s = sessions.get(session);
        if (s == null) {
            if (frame instanceof Frame.Hello hello) {
                openSession(session, hello);
            } else {
                emit(new ServerEffect.SendFrame(session, new Frame.Error(ErrorCode.NOT_AUTHENTICATED,
                        "send a hello frame first")));
            }
            return end();
        }
        s.lastHeardMicros = now;
        handleDeviceFrame(s, frame);
        return end();
    }

    /** The session's transport closed (or the host gave up on it). */
    public List<ServerEffect> onSessionClosed(long session, long nowMicros) {
        begin(nowMicros);
        Session s = sessions.get(session);
        if (s != null) {
            dropSession(s);
        }
        return end();
    }

    public List<ServerEffect> onPeer(String from, PeerMessage message, long nowMicros) {
        begin(nowMicros);
        handlePeer(message);
        return end();
    }

    public List<ServerEffect> onStored(long requestId, StoreResult result, long nowMicros) {
        begin(nowMicros);
        var callback = storeCallbacks.remove(requestId);
        if (callback != null) {
            callback.accept(result);
        }
        return end();
    }

    public List<ServerEffect> onTimer(String timer, long nowMicros) {
        begin(nowMicros);
        if (SWEEP_TIMER.equals(timer)) {
            sweepArmed = false;
            for (Session s : new ArrayList<>(sessions.values())) {
                if (now - s.lastHeardMicros > config.presenceTtlMicros()) {
                    emit(new ServerEffect.CloseSession(s.id, "presence ttl expired"));
                    dropSession(s);
                }
            }
            armSweep();
        } else if (ANSWER_TIMER.equals(timer)) {
            answerSweepArmed = false;
            answerOverdueSends();
        } else if (CATCH_UP_TIMER.equals(timer)) {
            catchUpArmed = false;
            nudgeLaggingMembers();
            announceUnwelcomedAgain();
            if (!unconfirmedFanOut.isEmpty() || !unwelcomed.isEmpty()) {
                armCatchUp();
            }
        }
        return end();
    }

    /** Sends whose owner did not answer in time get an answer of their own node: the outcome is unknown. */
    private void answerOverdueSends() {
        boolean waiting = false;
        for (Map<String, Session> devices : sessionsByUser.values()) {
            for (Session s : devices.values()) {
                for (UnansweredSend send : new ArrayList<>(s.unanswered.values())) {
                    if (now - send.sentAtMicros() >= SEND_ANSWER_MICROS_MAX) {
                        send(s, new Frame.Error(ErrorCode.UNAVAILABLE, "no answer from the owner of " + send.chat()
                                + " in time; the outcome is unknown: resend with the same cmid", send.chat(), send.cmid()));
                    }
                }
                waiting |= !s.unanswered.isEmpty();
            }
        }
        if (waiting) {
            armAnswerSweep();
        }
    }

    private void armAnswerSweep() {
        if (!answerSweepArmed) {
            answerSweepArmed = true;
            emit(new ServerEffect.SetTimer(ANSWER_TIMER, now + SEND_ANSWER_SWEEP_MICROS));
        }
    }

    /** A send's identity in its chat, as the store dedupes it: sender and cmid. */
    private static String sendKey(PeerMessage.Submit submit) {
        return submit.user() + '\u0000' + submit.cmid();
    }

    private static String answerKey(String chat, String cmid) {
        return chat + '\u0000' + cmid;
    }

    /** A send this node passed on for its device and has not yet seen answered. */
    private record UnansweredSend(String chat, String cmid, long sentAtMicros) {
    }

    /** The live nodes changed: drop chats this node no longer owns, repair the directory. */
    public List<ServerEffect> onClusterView(ClusterView newView, long nowMicros) {
        begin(nowMicros);
        ClusterView old = view;
        view = newView;
        if (old.nodes().isEmpty()) {
            // A fresh node knows no device yet: as owner it would take online users for offline ones.
            for (String node : newView.nodes()) {
                if (!node.equals(nodeId)) {
                    awaitingSnapshots.add(node);
                }
            }
        }
        awaitingSnapshots.retainAll(newView.nodes());
        for (String gone : old.nodes()) {
            if (!newView.contains(gone)) {
                for (String user : directory.dropNode(gone, now)) {
                    presenceChanged(user);
                }
                for (OwnedChat chat : chats.values()) {
                    chat.nodeGone(gone);
                }
            }
        }
        boolean someoneJoined = false;
        for (String joined : newView.nodes()) {
            if (!old.contains(joined) && !joined.equals(nodeId)) {
                someoneJoined = true;
                emit(new ServerEffect.Route(joined, new PeerMessage.DirectorySnapshot(nodeId, localDirectory())));
            }
        }
        for (OwnedChat chat : new ArrayList<>(chats.values())) {
            if (!nodeId.equals(ownerOf(chat.id))) {
                disown(chat, "chat moved to another node");
            }
        }
        if (someoneJoined) {
            reclaimOwnedChats();
        }
        for (OwnedChat chat : new ArrayList<>(chats.values())) {
            chat.tryFinishRemoval();
        }
        for (Session s : new ArrayList<>(sessions.values())) {
            if (s.awaitingAcks != null && s.awaitingAcks.retainAll(newView.nodes())) {
                welcomeWhenAcked(s);
            }
        }
        if (config.ownership().pinned()) {
            for (Session s : new ArrayList<>(sessions.values())) {
                homesChanged(s, old);
            }
        }
        replayDeferredIfReady();
        return end();
    }

    // ---- device frames -------------------------------------------------------------------------

    private void openSession(long id, Frame.Hello hello) {
        Session s = new Session(id, hello.user(), hello.device());
        s.lastHeardMicros = now;
        s.openedMicros = now;
        Session previous = sessionsByUser.computeIfAbsent(s.user, u -> new TreeMap<>()).get(s.device);
        if (previous != null) {
            emit(new ServerEffect.CloseSession(previous.id, REPLACED));
            dropSession(previous);
        }
        boolean firstOfUser = sessionsByUser.computeIfAbsent(s.user, u -> new TreeMap<>()).isEmpty();
        sessions.put(id, s);
        sessionsByUser.get(s.user).put(s.device, s);
        if (firstOfUser && config.routing() == Routing.PUBSUB) {
            emit(new ServerEffect.Subscribe(userTopic(s.user)));
        }
        // The welcome lists the user's chats only once every node knows this device is here: a message
        // an owner announced before it knew is then already in the store, and the device syncs it.
        s.awaitingAcks = new TreeSet<>(view.nodes());
        s.awaitingAcks.remove(nodeId);
        if (!s.awaitingAcks.isEmpty()) {
            unwelcomed.add(id);
            armCatchUp();
        }
        if (config.ownership().pinned()) {
            s.heldUntilWelcome = new ArrayList<>();
        }
        broadcastDirectory(new PeerMessage.DirectoryUpdate(s.user, s.device, nodeId, true, now));
        armSweep();
        welcomeWhenAcked(s);
    }

    private void welcomeWhenAcked(Session s) {
        if (s.awaitingAcks == null || !s.awaitingAcks.isEmpty() || sessions.get(s.id) != s) {
            return;
        }
        s.awaitingAcks = null;
        if (config.ownership().pinned()) {
            askHomesForChats(s);
            return;
        }
        long id = s.id;
        storeThen(new StoreOp.ChatsOf(s.user), result -> {
            if (sessions.get(id) != s) {
                return;
            }
            List<Frame.ChatHead> heads = new ArrayList<>();
            for (StoreResult.ChatHead head : ((StoreResult.Chats) result).heads()) {
                heads.add(new Frame.ChatHead(head.chat(), head.lastSeq()));
                s.chats.add(head.chat());
            }
            send(s, new Frame.Welcome(nodeId, nodeId + "/" + id, heads));
        }, failed -> {
            // Without its chats the session cannot be welcomed: closed, the device reconnects and asks again.
            if (sessions.get(id) == s) {
                emit(new ServerEffect.CloseSession(s.id, "the store failed to list the user's chats; reconnect"));
                dropSession(s);
            }
        });
    }

    private void handleDeviceFrame(Session s, Frame frame) {
        if (frame instanceof Frame.Send send) {
            s.unanswered.putIfAbsent(answerKey(send.chat(), send.cmid()), new UnansweredSend(send.chat(), send.cmid(), now));
            armAnswerSweep();
            ownerRequest(new PeerMessage.Submit(send.chat(), s.user, s.device, nodeId, send.cmid(), send.body(), 0));
        } else if (frame instanceof Frame.Sync sync) {
            int limit = Math.max(1, Math.min(sync.limit(), config.syncLimitMax()));
            ownerRequest(new PeerMessage.SyncRequest(sync.chat(), s.user, s.device, nodeId, sync.afterSeq(), limit, 0));
        } else if (frame instanceof Frame.Delivered d) {
            ownerRequest(new PeerMessage.WatermarkReport(d.chat(), s.user, s.device, nodeId, ReceiptState.DELIVERED, d.seq(), 0));
        } else if (frame instanceof Frame.Read r) {
            ownerRequest(new PeerMessage.WatermarkReport(r.chat(), s.user, s.device, nodeId, ReceiptState.READ, r.seq(), 0));
        } else if (frame instanceof Frame.Typing t) {
            ownerRequest(new PeerMessage.TypingReport(t.chat(), s.user, s.device, nodeId, 0));
        } else if (frame instanceof Frame.Membership m) {
            ownerRequest(new PeerMessage.MembershipRequest(m.chat(), s.user, m.user(), m.op(), s.device, nodeId, 0));
        } else if (frame instanceof Frame.Left left) {
            if (s.leaving.remove(left.chat())) {
                String owner = ownerOf(left.chat());
                if (owner != null) {
                    route(owner, new PeerMessage.RemovalConfirmed(left.chat(), s.user, nodeId));
                }
            } else {
                send(s, new Frame.Error(ErrorCode.FORBIDDEN, "'left' confirms a removal notice, and no removal from "
                        + left.chat() + " awaits this device's confirmation", left.chat(), null));
            }
        } else if (frame instanceof Frame.Watch w) {
            for (String about : w.users()) {
                watchIfSharingAChat(s, about);
            }
        } else if (frame instanceof Frame.Ping ping) {
            send(s, new Frame.Pong(ping.nonce()));
        } else if (frame instanceof Frame.Hello) {
            send(s, new Frame.Error(ErrorCode.FORBIDDEN, "this session is already open"));
        } else {
            send(s, new Frame.Error(ErrorCode.UNKNOWN_TYPE, "a device may not send '" + frame.type() + "'"));
        }
    }

    /**
     * Presence is for the people one shares a chat with: the watched user's chats (from the store)
     * must meet the chats this session was welcomed with or joined since. With pinned ownership a
     * node's store lists only the chats homed on it, so the homes of the session's chats are asked.
     */
    private void watchIfSharingAChat(Session s, String about) {
        if (about.equals(s.user)) {
            watch(s, about);
            return;
        }
        if (config.ownership().pinned()) {
            askHomesWhetherShared(s, about);
            return;
        }
        storeThen(new StoreOp.ChatsOf(about), result -> {
            if (sessions.get(s.id) != s) {
                return;
            }
            for (StoreResult.ChatHead head : ((StoreResult.Chats) result).heads()) {
                if (s.chats.contains(head.chat())) {
                    watch(s, about);
                    return;
                }
            }
            send(s, new Frame.Error(ErrorCode.FORBIDDEN, s.user + " shares no chat with " + about
                    + ": presence is only for people one shares a chat with"));
        }, failed -> {
            if (sessions.get(s.id) == s) {
                send(s, new Frame.Error(ErrorCode.UNAVAILABLE, "the store failed; watch " + about + " again later"));
            }
        });
    }

    /**
     * Pinned ownership: a chat the two share is homed where one of the session's chats is, so those
     * homes (the live ones) are asked for the watched user's chats. When none shares one, the
     * answer is {@code forbidden}, or {@code unavailable} if a home that might have was down.
     */
    private void askHomesWhetherShared(Session s, String about) {
        if (s.presenceChecks.containsKey(about)) {
            return;
        }
        Ownership.PinnedHome pinned = (Ownership.PinnedHome) config.ownership();
        PresenceCheck check = new PresenceCheck();
        for (String chat : s.chats) {
            String home = pinned.homeOf(chat);
            (view.contains(home) ? check.awaiting : check.down).add(home);
        }
        s.presenceChecks.put(about, check);
        for (String home : check.awaiting) {
            route(home, new PeerMessage.HomeChatsRequest(about, s.id, nodeId));
        }
        concludeWhetherShared(s, about, false);
    }

    private void presenceCheckArrived(Session s, PeerMessage.HomeChats answer) {
        PresenceCheck check = s.presenceChecks.get(answer.user());
        if (check == null || !check.awaiting.remove(answer.node())) {
            return;
        }
        boolean shared = false;
        for (Frame.ChatHead head : answer.heads()) {
            shared |= s.chats.contains(head.chat());
        }
        concludeWhetherShared(s, answer.user(), shared);
    }

    private void concludeWhetherShared(Session s, String about, boolean shared) {
        PresenceCheck check = s.presenceChecks.get(about);
        if (shared) {
            s.presenceChecks.remove(about);
            watch(s, about);
        } else if (check.awaiting.isEmpty()) {
            s.presenceChecks.remove(about);
            if (check.down.isEmpty()) {
                send(s, new Frame.Error(ErrorCode.FORBIDDEN, s.user + " shares no chat with " + about
                        + ": presence is only for people one shares a chat with"));
            } else {
                send(s, new Frame.Error(ErrorCode.UNAVAILABLE, "the home node of a chat of " + s.user
                        + " is down; watch " + about + " again later"));
            }
        }
    }

    /** Homes that died while asked whether two users share a chat answer no more: count them as down. */
    private void presenceChecksLost(Session s) {
        for (String about : new ArrayList<>(s.presenceChecks.keySet())) {
            PresenceCheck check = s.presenceChecks.get(about);
            for (String home : new ArrayList<>(check.awaiting)) {
                if (!view.contains(home)) {
                    check.awaiting.remove(home);
                    check.down.add(home);
                }
            }
            concludeWhetherShared(s, about, false);
        }
    }

    /** Pinned ownership: the homes asked whether a session's user shares a chat with a user it watches. */
    private static final class PresenceCheck {
        final TreeSet<String> awaiting = new TreeSet<>();
        final TreeSet<String> down = new TreeSet<>();
    }

    private void watch(Session s, String about) {
        s.watching.add(about);
        watchersOf.computeIfAbsent(about, u -> new TreeMap<>()).put(s.id, s);
        send(s, presenceOf(about));
    }

    private void dropSession(Session s) {
        sessions.remove(s.id);
        for (String about : s.watching) {
            TreeMap<Long, Session> watchers = watchersOf.get(about);
            if (watchers != null) {
                watchers.remove(s.id);
                if (watchers.isEmpty()) {
                    watchersOf.remove(about);
                }
            }
        }
        Map<String, Session> devices = sessionsByUser.get(s.user);
        if (devices != null && devices.get(s.device) == s) {
            devices.remove(s.device);
            if (devices.isEmpty()) {
                sessionsByUser.remove(s.user);
                if (config.routing() == Routing.PUBSUB) {
                    emit(new ServerEffect.Unsubscribe(userTopic(s.user)));
                }
            }
        }
        for (String chat : s.leaving) {
            String owner = ownerOf(chat);
            if (owner != null) {
                route(owner, new PeerMessage.RemovalConfirmed(chat, s.user, nodeId));
            }
        }
        s.leaving.clear();
        broadcastDirectory(new PeerMessage.DirectoryUpdate(s.user, s.device, nodeId, false, now));
    }

    /**
     * One live session per device: the same device opened a session on another node, so the older
     * of the two is closed. The later opening wins (the node name breaks a tie), so the two nodes
     * agree which one goes, whichever hears of the other first.
     */
    private void closeIfReplaced(PeerMessage.DirectoryUpdate elsewhere) {
        Session local = localSession(elsewhere.user(), elsewhere.device());
        if (local == null) {
            return;
        }
        boolean newer = elsewhere.lastSeenMicros() > local.openedMicros
                || elsewhere.lastSeenMicros() == local.openedMicros && elsewhere.node().compareTo(nodeId) > 0;
        if (newer) {
            emit(new ServerEffect.CloseSession(local.id, REPLACED));
            dropSession(local);
        }
    }

    // ---- peer messages --------------------------------------------------------------------------

    private void handlePeer(PeerMessage message) {
        if (message instanceof PeerMessage.ToDevice td) {
            Session s = localSession(td.user(), td.device());
            if (s != null) {
                send(s, td.frame());
            }
        } else if (message instanceof PeerMessage.ToUser tu) {
            Map<String, Session> devices = sessionsByUser.get(tu.user());
            if (devices != null) {
                for (Session s : devices.values()) {
                    if (!s.device.equals(tu.exceptDevice())) {
                        send(s, tu.frame());
                    }
                }
            }
        } else if (message instanceof PeerMessage.DirectoryUpdate du) {
            if (du.online() && !du.node().equals(nodeId)) {
                closeIfReplaced(du);
            }
            if (directory.apply(du)) {
                presenceChanged(du.user());
            }
            if (du.online()) {
                route(du.node(), new PeerMessage.DirectoryAck(du.user(), du.device(), nodeId));
            }
        } else if (message instanceof PeerMessage.DirectoryAck ack) {
            Session s = localSession(ack.user(), ack.device());
            if (s != null && s.awaitingAcks != null && s.awaitingAcks.remove(ack.node())) {
                welcomeWhenAcked(s);
            }
        } else if (message instanceof PeerMessage.DirectorySnapshot snap) {
            for (PeerMessage.DirectoryUpdate du : snap.entries()) {
                if (directory.apply(du)) {
                    presenceChanged(du.user());
                }
            }
            awaitingSnapshots.remove(snap.node());
            // A node sends its snapshot when it sees this one join. Views need not change together:
            // this node may have seen the whole cluster for seconds while the sender still wrote to
            // chats that this node owns in its view (fenced, but this node's heads are stale). So the
            // sender's arrival is a rejoin here too: claim every owned chat afresh, as on a view
            // change (a real partition with iptables left a node thinking its devices up to date).
            if (snap.node() != null && !snap.node().equals(nodeId)) {
                reclaimOwnedChats();
            }
            // Devices this node took for offline while it could not hear their node may have missed fan-out.
            for (OwnedChat chat : chats.values()) {
                awaitConfirmation(chat);
            }
            replayDeferredIfReady();
        } else if (message instanceof PeerMessage.RemovalNotice notice) {
            int devices = 0;
            Map<String, Session> local = sessionsByUser.get(notice.user());
            if (local != null) {
                for (Session s : local.values()) {
                    if (s.leaving.add(notice.chat())) {
                        devices++;
                        send(s, new Frame.Membership(notice.chat(), notice.user(), MemberOp.REMOVE));
                    }
                }
            }
            route(notice.owner(), new PeerMessage.RemovalNoticed(notice.chat(), notice.user(), nodeId, devices));
        } else if (message instanceof PeerMessage.HomeChatsRequest ask) {
            answerHomeChats(ask);
        } else if (message instanceof PeerMessage.HomeChats answer) {
            Session s = sessions.get(answer.session());
            if (s != null && s.user.equals(answer.user())) {
                homeChatsArrived(s, answer);
            } else if (s != null) {
                presenceCheckArrived(s, answer);
            }
        } else if (message instanceof PeerMessage.RemovalNoticed noticed) {
            OwnedChat chat = chats.get(noticed.chat());
            if (chat != null) {
                chat.removalNoticed(noticed);
            }
        } else if (message instanceof PeerMessage.RemovalConfirmed confirmed) {
            OwnedChat chat = chats.get(confirmed.chat());
            if (chat != null) {
                chat.removalConfirmed(confirmed);
            }
        } else {
            ownerRequest(message);
        }
    }

    /** A request for a chat's owner: handle it here if this node owns the chat, else pass it on. */
    private void ownerRequest(PeerMessage request) {
        String chatId = chatOf(request);
        if (!awaitingSnapshots.isEmpty() && nodeId.equals(ownerOf(chatId))) {
            if (deferredOwnerRequests.size() >= config.chatQueueMax()) {
                refuse(request, ErrorCode.UNAVAILABLE, "node " + nodeId + " is still joining; retry");
            } else {
                deferredOwnerRequests.add(request);
            }
            return;
        }
        String owner = ownerOf(chatId);
        if (owner == null && config.ownership().pinned()) {
            refuseWhileHomeDown(request);
            return;
        }
        if (owner != null && !owner.equals(nodeId)) {
            if (hops(request) >= config.hopsMax()) {
                refuse(request, ErrorCode.UNAVAILABLE, "the chat's owner is moving; retry");
            } else {
                route(owner, withHop(request));
            }
            return;
        }
        OwnedChat chat = chats.get(chatId);
        if (chat == null) {
            chat = new OwnedChat(chatId);
            chats.put(chatId, chat);
            chat.claim(createsChat(request));
        }
        chat.accept(request);
    }

    /** The node that serves {@code chat} now, by the configured ownership; null if none may. */
    private String ownerOf(String chat) {
        return config.ownership().ownerOf(chat, view);
    }

    /**
     * Pinned ownership, the chat's home is down: nothing can serve the chat. A send is refused
     * with {@code fail}/{@code unavailable} before it reaches any store, so this attempt stored
     * nothing (the device alone knows whether an earlier attempt might have); a sync ends empty
     * with {@code more}, so the device asks again later; watermarks and typing are dropped.
     */
    private void refuseWhileHomeDown(PeerMessage request) {
        String chat = chatOf(request);
        String why = "the home node of " + chat + " is down; retry once it is back";
        if (request instanceof PeerMessage.Submit submit) {
            deviceFrame(submit.node(), submit.user(), submit.device(),
                    new Frame.Fail(chat, submit.cmid(), ErrorCode.UNAVAILABLE, why));
        } else {
            refuse(request, ErrorCode.UNAVAILABLE, why);
        }
    }

    // ---- pinned ownership: the welcome asks every live home -------------------------------------

    /**
     * A node-local store lists only the chats homed on its node, so the welcome gathers the user's
     * chats from every live node. Chats homed on a node that is down cannot be listed; the device
     * stops showing them until that home is back, and then this node re-announces them.
     */
    private void askHomesForChats(Session s) {
        s.awaitingHomes = new TreeSet<>(view.nodes());
        s.heads = new TreeMap<>();
        s.homesDown = new TreeSet<>(((Ownership.PinnedHome) config.ownership()).homes());
        s.homesDown.removeAll(view.nodes());
        for (String node : view.nodes()) {
            route(node, new PeerMessage.HomeChatsRequest(s.user, s.id, nodeId));
        }
    }

    private void answerHomeChats(PeerMessage.HomeChatsRequest ask) {
        storeThen(new StoreOp.ChatsOf(ask.user()), result -> {
            List<Frame.ChatHead> heads = new ArrayList<>();
            for (StoreResult.ChatHead head : ((StoreResult.Chats) result).heads()) {
                if (nodeId.equals(((Ownership.PinnedHome) config.ownership()).homeOf(head.chat()))) {
                    heads.add(new Frame.ChatHead(head.chat(), head.lastSeq()));
                }
            }
            route(ask.gateway(), new PeerMessage.HomeChats(ask.user(), ask.session(), nodeId, heads));
        });
    }

    private void homeChatsArrived(Session s, PeerMessage.HomeChats answer) {
        if (s.awaitingHomes != null) {
            if (s.awaitingHomes.remove(answer.node())) {
                for (Frame.ChatHead head : answer.heads()) {
                    s.heads.put(head.chat(), head);
                }
                welcomeWhenHomesAnswered(s);
            }
        } else if (s.reannounceFrom.remove(answer.node())) {
            // The device stopped showing these chats when its welcome could not list them: show them again.
            for (Frame.ChatHead head : answer.heads()) {
                send(s, new Frame.Membership(head.chat(), s.user, MemberOp.ADD));
            }
        }
    }

    private void welcomeWhenHomesAnswered(Session s) {
        if (s.awaitingHomes == null || !s.awaitingHomes.isEmpty()) {
            return;
        }
        s.awaitingHomes = null;
        List<Frame> held = s.heldUntilWelcome;
        s.heldUntilWelcome = null;
        if (s.heldOverflowed) {
            emit(new ServerEffect.CloseSession(s.id, "too many frames held before the welcome"));
            dropSession(s);
            return;
        }
        // What the session may watch and do: the chats its welcome lists, gathered from every home.
        s.chats.addAll(s.heads.keySet());
        send(s, new Frame.Welcome(nodeId, nodeId + "/" + s.id, new ArrayList<>(s.heads.values())));
        s.heads = null;
        for (Frame frame : held) {
            send(s, frame);
        }
    }

    /** A home that died while the welcome waited is left out; one that came back is asked. */
    private void homesChanged(Session s, ClusterView old) {
        presenceChecksLost(s);
        if (s.homesDown == null) {
            return;
        }
        for (String gone : old.nodes()) {
            if (!view.contains(gone) && !gone.equals(nodeId)) {
                if (s.awaitingHomes != null && s.awaitingHomes.remove(gone)) {
                    s.homesDown.add(gone);
                }
                s.reannounceFrom.remove(gone);
            }
        }
        for (String joined : view.nodes()) {
            if (old.contains(joined) || !s.homesDown.remove(joined)) {
                continue;
            }
            if (s.awaitingHomes != null) {
                s.awaitingHomes.add(joined);
            } else {
                s.reannounceFrom.add(joined);
            }
            route(joined, new PeerMessage.HomeChatsRequest(s.user, s.id, nodeId));
        }
        welcomeWhenHomesAnswered(s);
    }

    // ---- an owned chat --------------------------------------------------------------------------

    /** The state of a chat this node owns; dropped when ownership moves or the node restarts. */
    private final class OwnedChat {
        final String id;
        boolean loaded;
        long epoch;
        long lastSeq;
        /** The head when this node claimed the chat: a resent cmid above it was stored, and announced, by this node. */
        long claimedHead;
        final TreeMap<String, MemberState> members = new TreeMap<>();
        final Map<String, Long> delivered = new HashMap<>();
        final Map<String, Long> read = new HashMap<>();
        final ArrayDeque<PeerMessage> queue = new ArrayDeque<>();
        boolean writing;
        PendingRemoval removal;
        /** The head at the previous catch-up check: members below it have had a full period to confirm. */
        long dueSeq;
        /**
         * Each device's own delivered watermark, by {@link #deviceKey}: a user's watermark is its best
         * device's, and says nothing of a device that missed a push. Kept in memory only.
         */
        final Map<String, Long> deviceDelivered = new HashMap<>();
        /** Nudges sent to a device since its watermark last rose: each one waits twice as long as the last. */
        final Map<String, Integer> nudges = new HashMap<>();
        /** Seqs of the messages this node stored lately, by sender and cmid (the newest {@link #RECENT_CMIDS_PER_CHAT}). */
        final Map<String, Long> recentlyStored = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > RECENT_CMIDS_PER_CHAT;
            }
        };
        /**
         * Sends queued or being written, by sender and cmid, with the resends of each that came
         * meanwhile: a resend waits for its original's answer instead of taking a seq of its own.
         */
        final Map<String, List<PeerMessage.Submit>> resendsWaiting = new HashMap<>();
        /** Who sent each message this node stored lately, by seq (the newest {@link #RECENT_SENDERS_PER_CHAT}). */
        final TreeMap<Long, String> recentSenders = new TreeMap<>();
        /** {@link #recentSenders} names the sender of every message above this seq. */
        long sendersKnownAbove;

        OwnedChat(String id) {
            this.id = id;
        }

        long writeEpoch() {
            return config.fencing() ? epoch : StoreOp.UNFENCED;
        }

        void claim(boolean create) {
            storeThen(new StoreOp.Claim(id, nodeId, create), result -> {
                if (chats.get(id) != this) {
                    return;
                }
                if (result instanceof StoreResult.NoSuchChat) {
                    noSuchChat();
                    return;
                }
                StoreResult.Claimed claimed = (StoreResult.Claimed) result;
                epoch = claimed.epoch();
                lastSeq = claimed.lastSeq();
                claimedHead = lastSeq;
                sendersKnownAbove = lastSeq;
                members.putAll(claimed.members());
                delivered.putAll(claimed.delivered());
                read.putAll(claimed.read());
                loaded = true;
                // The predecessor may have stored messages it never fanned out (it died, or its pushes
                // were cut off): the first check of the catch-up nudges whoever is behind.
                awaitConfirmation(this);
                finishInheritedChanges();
                drain();
            });
        }

        /**
         * The chat does not exist: this node keeps nothing of it. Only an {@code add} may create it;
         * every other request gets the answer a non-member gets.
         */
        void noSuchChat() {
            chats.remove(id);
            List<PeerMessage> requests = new ArrayList<>(queue);
            queue.clear();
            for (PeerMessage request : requests) {
                if (createsChat(request)) {
                    ownerRequest(request);
                } else {
                    refuseNonMember(request);
                }
            }
        }

        /** A predecessor may have died between writing a membership change and recording it. */
        void finishInheritedChanges() {
            for (Map.Entry<String, MemberState> e : new ArrayList<>(members.entrySet())) {
                if (e.getValue() == MemberState.ADDING) {
                    queue.addFirst(new PeerMessage.MembershipRequest(id, e.getKey(), e.getKey(), MemberOp.ADD, null, null, 0));
                } else if (e.getValue() == MemberState.REMOVING) {
                    queue.addFirst(new PeerMessage.MembershipRequest(id, e.getKey(), e.getKey(), MemberOp.REMOVE, null, null, 0));
                }
            }
        }

        void accept(PeerMessage request) {
            if (request instanceof PeerMessage.SyncRequest sync && loaded) {
                serveSync(sync);
                return;
            }
            if (request instanceof PeerMessage.WatermarkReport mark && loaded) {
                raiseWatermark(mark);
                return;
            }
            if (request instanceof PeerMessage.TypingReport typing && loaded) {
                if (isMember(typing.user())) {
                    fanOutExcept(typing.user(), typing.device(), new Frame.TypingNotice(id, typing.user()));
                } else {
                    refuseNonMember(typing);
                }
                return;
            }
            if (request instanceof PeerMessage.Submit submit && loaded && joinedAnEarlierSend(submit)) {
                return;
            }
            if (queue.size() >= config.chatQueueMax()) {
                refuse(request, ErrorCode.UNAVAILABLE, "chat " + id + " is overloaded; retry");
                return;
            }
            if (request instanceof PeerMessage.Submit submit) {
                resendsWaiting.putIfAbsent(sendKey(submit), new ArrayList<>());
            }
            queue.add(request);
            drain();
        }

        /**
         * A resend of a message this node stored lately gets the original's ack at once; one of a
         * message still queued or being written gets its answer with it. Either way no seq is spent.
         */
        boolean joinedAnEarlierSend(PeerMessage.Submit submit) {
            String key = sendKey(submit);
            Long seq = recentlyStored.get(key);
            if (seq != null) {
                deviceFrame(submit.node(), submit.user(), submit.device(), new Frame.Ack(id, submit.cmid(), seq));
                return true;
            }
            List<PeerMessage.Submit> waiting = resendsWaiting.get(key);
            if (waiting != null) {
                waiting.add(submit);
                return true;
            }
            return false;
        }

        /** Gives a send and the resends that waited for it the same answer. */
        void answer(PeerMessage.Submit submit, Frame frame) {
            deviceFrame(submit.node(), submit.user(), submit.device(), frame);
            List<PeerMessage.Submit> waiting = resendsWaiting.remove(sendKey(submit));
            if (waiting != null) {
                for (PeerMessage.Submit resend : waiting) {
                    deviceFrame(resend.node(), resend.user(), resend.device(), frame);
                }
            }
        }

        /** Starts the next write when none is in flight: a batch of messages, or one membership change. */
        void drain() {
            while (loaded && !writing && removal == null && !queue.isEmpty()) {
                PeerMessage head = queue.peek();
                if (head instanceof PeerMessage.MembershipRequest change) {
                    queue.poll();
                    changeMembership(change);
                } else if (head instanceof PeerMessage.Submit) {
                    appendBatch();
                } else {
                    queue.poll();
                    accept(head);
                }
            }
        }

        void appendBatch() {
            List<PeerMessage.Submit> batch = new ArrayList<>();
            List<StoreOp.NewMessage> messages = new ArrayList<>();
            long next = lastSeq;
            while (!queue.isEmpty() && queue.peek() instanceof PeerMessage.Submit submit
                    && batch.size() < config.appendBatchMax()) {
                queue.poll();
                if (!isMember(submit.user())) {
                    answer(submit, new Frame.Fail(id, submit.cmid(), ErrorCode.NOT_A_MEMBER,
                            submit.user() + " is not a member of " + id));
                    continue;
                }
                long seq;
                if (config.sequencing() == Sequencing.OWNER_COUNTER) {
                    seq = ++next;
                } else if (config.sequencing() == Sequencing.SNOWFLAKE) {
                    seq = snowflakes.next(now + clockOffsetMicros);
                } else {
                    seq = 0;
                }
                batch.add(submit);
                messages.add(new StoreOp.NewMessage(seq, submit.user(), submit.device(), submit.cmid(), submit.body()));
            }
            if (batch.isEmpty()) {
                return;
            }
            writing = true;
            storeThen(new StoreOp.Append(id, writeEpoch(), messages), result -> {
                if (chats.get(id) != this) {
                    failAll(batch, "the chat moved while the message was being stored; retry");
                    return;
                }
                writing = false;
                if (result instanceof StoreResult.Fenced) {
                    failAll(batch, "a newer owner holds the chat; retry");
                    disown(this, "fenced by a newer owner");
                    return;
                }
                StoreResult.Appended appended = (StoreResult.Appended) result;
                for (int i = 0; i < batch.size(); i++) {
                    PeerMessage.Submit submit = batch.get(i);
                    StoreResult.Outcome outcome = appended.outcomes().get(i);
                    answer(submit, new Frame.Ack(id, submit.cmid(), outcome.seq()));
                    recentlyStored.put(sendKey(submit), outcome.seq());
                    if (!outcome.duplicate()) {
                        // The sender has its own message (the ack): if it was up to date, it still is, and
                        // the catch-up need not nudge it for it.
                        String sender = deviceKey(submit.user(), submit.device());
                        if (deviceDelivered.getOrDefault(sender, 0L) >= lastSeq) {
                            deviceDelivered.merge(sender, outcome.seq(), Math::max);
                        }
                        lastSeq = Math.max(lastSeq, outcome.seq());
                        rememberSender(outcome.seq(), submit.user());
                        announce(submit.user(), submit.device(), submit.cmid(), submit.body(), outcome.seq());
                    } else if (outcome.seq() <= claimedHead) {
                        announceStored(submit, outcome.seq());
                    }
                }
                drain();
            }, failed -> {
                if (chats.get(id) != this) {
                    failAll(batch, "the chat moved while the message was being stored; retry");
                    return;
                }
                // The store refused every attempt: nothing was stored. A definite answer, then the chat
                // is claimed afresh by the next request (its head may be other than this node believed).
                for (PeerMessage.Submit submit : batch) {
                    answer(submit, new Frame.Fail(id, submit.cmid(), ErrorCode.UNAVAILABLE,
                            "the store failed to store the message (" + failed.reason() + "); nothing was stored"));
                }
                writing = false;
                disown(this, "the store failed (" + failed.reason() + ")");
            });
        }

        void failAll(List<PeerMessage.Submit> batch, String why) {
            // UNAVAILABLE, not a definite failure: the message may have been stored, so the device retries the cmid.
            for (PeerMessage.Submit submit : batch) {
                answer(submit, new Frame.Error(ErrorCode.UNAVAILABLE, why, submit.chat(), submit.cmid()));
            }
        }

        /**
         * A resend of a message an earlier owner stored: that owner may have died before announcing
         * it, so it is announced again, as stored (a resend's body is never shown).
         */
        void announceStored(PeerMessage.Submit resend, long seq) {
            storeThen(new StoreOp.ReadRange(id, seq - 1, 1), result -> {
                if (chats.get(id) != this || !(result instanceof StoreResult.Range range)) {
                    return;
                }
                for (StoredMessage m : range.messages()) {
                    if (m.seq() == seq) {
                        announce(m.sender(), resend.device(), m.cmid(), m.body(), seq);
                    }
                }
            });
        }

        /** Tells members' online devices about a stored message, and offline members' push sink. */
        void announce(String sender, String senderDevice, String cmid, String body, long seq) {
            awaitConfirmation(this);
            boolean push = config.fanOut().pushes(memberCount());
            Frame frame = push
                    ? new Frame.Deliver(id, seq, cmid, sender, body, Via.PUSH)
                    : new Frame.Notify(id, seq);
            for (Map.Entry<String, MemberState> e : members.entrySet()) {
                if (!e.getValue().settled()) {
                    continue;
                }
                String user = e.getKey();
                String except = user.equals(sender) ? senderDevice : null;
                if (directory.isOnline(user)) {
                    toUserDevices(user, except, frame);
                } else if (!user.equals(sender)) {
                    emit(new ServerEffect.Push(user, id, seq, sender));
                }
            }
        }

        void serveSync(PeerMessage.SyncRequest sync) {
            if (!isMember(sync.user())) {
                deviceFrame(sync.node(), sync.user(), sync.device(), notAMember(sync.user(), id));
                return;
            }
            storeThen(new StoreOp.ReadRange(id, sync.afterSeq(), sync.limit()), result -> {
                // Membership may have changed while the store read; re-check so a removed user gets nothing new.
                if (chats.get(id) != this || !isMember(sync.user())) {
                    deviceFrame(sync.node(), sync.user(), sync.device(), new Frame.SyncDone(id, sync.afterSeq(), true));
                    return;
                }
                StoreResult.Range range = (StoreResult.Range) result;
                for (StoredMessage m : range.messages()) {
                    deviceFrame(sync.node(), sync.user(), sync.device(),
                            new Frame.Deliver(id, m.seq(), m.cmid(), m.sender(), m.body(), Via.SYNC));
                }
                deviceFrame(sync.node(), sync.user(), sync.device(), new Frame.SyncDone(id, range.upToSeq(), range.more()));
            }, failed -> refuse(sync, ErrorCode.UNAVAILABLE, failed.reason()));
        }

        void raiseWatermark(PeerMessage.WatermarkReport mark) {
            if (!isMember(mark.user())) {
                refuseNonMember(mark);
                return;
            }
            if (mark.seq() > lastSeq) {
                // Refused, not clamped: a device reports what it was shown, and nothing beyond the head was.
                deviceFrame(mark.node(), mark.user(), mark.device(), new Frame.Error(ErrorCode.BAD_FIELD,
                        "field 'seq' of '" + (mark.state() == ReceiptState.READ ? "read" : "delivered") + "': " + mark.seq()
                                + " is beyond the newest message of " + id + " (" + lastSeq + ")", id, null));
                return;
            }
            if (mark.state() == ReceiptState.DELIVERED) {
                deviceDelivered.merge(deviceKey(mark.user(), mark.device()), mark.seq(), Math::max);
            }
            Map<String, Long> marks = mark.state() == ReceiptState.READ ? read : delivered;
            long old = marks.getOrDefault(mark.user(), 0L);
            if (mark.seq() <= old) {
                return;
            }
            marks.put(mark.user(), mark.seq());
            // Persist before telling anyone, so a new owner never announces a lower watermark.
            storeThen(new StoreOp.RaiseWatermark(id, mark.user(), mark.state(), mark.seq()), result -> {
                if (chats.get(id) == this && config.fanOut().pushes(memberCount())) {
                    Frame receipt = new Frame.Receipt(id, mark.user(), mark.state(), mark.seq());
                    Set<String> senders = sendersBetween(old, mark.seq());
                    if (senders == null) {
                        fanOutExcept(mark.user(), null, receipt);
                    } else {
                        for (String sender : senders) {
                            if (!sender.equals(mark.user()) && isMember(sender) && directory.isOnline(sender)) {
                                toUserDevices(sender, null, receipt);
                            }
                        }
                    }
                }
            });
        }

        void rememberSender(long seq, String sender) {
            recentSenders.put(seq, sender);
            if (recentSenders.size() > RECENT_SENDERS_PER_CHAT) {
                sendersKnownAbove = Math.max(sendersKnownAbove, recentSenders.pollFirstEntry().getKey());
            }
        }

        /** The senders of the messages in ({@code from}, {@code to}], or null when this node does not know them all. */
        Set<String> sendersBetween(long from, long to) {
            if (from < sendersKnownAbove) {
                return null;
            }
            return new TreeSet<>(recentSenders.subMap(from, false, to, true).values());
        }

        void changeMembership(PeerMessage.MembershipRequest change) {
            String refusal = change.actorNode() == null ? null : refusalOf(change);
            if (refusal != null) {
                refuse(change, ErrorCode.FORBIDDEN, refusal);
                return;
            }
            MemberState current = members.get(change.user());
            if (change.op() == MemberOp.ADD) {
                if (current != null && current.settled()) {
                    return;
                }
                writing = true;
                Runnable done = () -> {
                    writing = false;
                    drain();
                };
                if (change.actorNode() != null && !exists() && !change.actor().equals(change.user())) {
                    addMember(change.actor(), MemberState.FIXED, () -> addMember(change.user(), MemberState.FIXED, done));
                } else {
                    addMember(change.user(), settledStateOfNew(change), done);
                }
            } else {
                if (current == null) {
                    return;
                }
                writing = true;
                members.put(change.user(), MemberState.REMOVING);
                writeMember(change.user(), MemberState.REMOVING, () -> {
                    writing = false;
                    removal = new PendingRemoval(change.user(), new TreeSet<>(view.nodes()));
                    for (String node : view.nodes()) {
                        route(node, new PeerMessage.RemovalNotice(id, change.user(), nodeId));
                    }
                });
            }
        }

        /** Written as ADDING first, so that a new owner finishes an addition this one did not live to record. */
        void addMember(String user, MemberState settled, Runnable then) {
            members.put(user, MemberState.ADDING);
            writeMember(user, MemberState.ADDING, () -> {
                members.put(user, settled);
                record(new HistoryEvent.Member(now, id, user, MemberOp.ADD));
                writeMember(user, settled, null);
                toUserDevices(user, null, new Frame.Membership(id, user, MemberOp.ADD));
                then.run();
            });
        }

        /** A chat exists once it has a member or a message; the first {@code add} creates it. */
        boolean exists() {
            return !members.isEmpty() || lastSeq > 0;
        }

        /**
         * Why a device's membership request is refused, or null if it is allowed: the first
         * {@code add} creates the chat (see {@link #changeMembership}); then only a group's admin
         * adds or removes others, any member of a group may leave it, and a 1:1 chat never changes.
         */
        String refusalOf(PeerMessage.MembershipRequest change) {
            boolean self = change.actor().equals(change.user());
            if (!exists()) {
                return change.op() == MemberOp.ADD ? null : change.actor() + " is not a member of " + id;
            }
            MemberState actor = members.get(change.actor());
            if (actor == null || !actor.settled()) {
                return change.actor() + " is not a member of " + id;
            }
            if (members.containsValue(MemberState.FIXED)) {
                return id + " is a 1:1 chat: its two members are fixed";
            }
            if (self && change.op() == MemberOp.REMOVE || actor == MemberState.ADMIN) {
                return null;
            }
            return "only an admin of " + id + " adds or removes others";
        }

        /**
         * The role of a user added now: the creator of a group is its admin; a member added later, a
         * member. An addition inherited from a dead owner is read the same way from what the store
         * holds: no settled member yet means a creation (two at once, a 1:1 chat's).
         */
        MemberState settledStateOfNew(PeerMessage.MembershipRequest change) {
            if (members.containsValue(MemberState.FIXED)) {
                return MemberState.FIXED;
            }
            int adding = 0;
            for (MemberState state : members.values()) {
                if (state.settled()) {
                    return MemberState.MEMBER;
                }
                adding += state == MemberState.ADDING ? 1 : 0;
            }
            if (change.actorNode() != null) {
                return lastSeq > 0 ? MemberState.MEMBER : MemberState.ADMIN;
            }
            return adding >= 2 ? MemberState.FIXED : MemberState.ADMIN;
        }

        void writeMember(String user, MemberState state, Runnable then) {
            storeThen(new StoreOp.SetMember(id, writeEpoch(), user, state), result -> {
                if (chats.get(id) != this) {
                    return;
                }
                if (result instanceof StoreResult.Fenced) {
                    disown(this, "fenced by a newer owner");
                    return;
                }
                if (then != null) {
                    then.run();
                }
            });
        }

        void removalNoticed(PeerMessage.RemovalNoticed noticed) {
            if (removal != null && removal.user.equals(noticed.user()) && removal.nodesToHear.remove(noticed.node())) {
                removal.devicesToConfirm += noticed.devices();
                removal.devicesByNode.merge(noticed.node(), noticed.devices(), Integer::sum);
                tryFinishRemoval();
            }
        }

        void removalConfirmed(PeerMessage.RemovalConfirmed confirmed) {
            if (removal != null && removal.user.equals(confirmed.user())
                    && removal.devicesByNode.getOrDefault(confirmed.node(), 0) > 0) {
                removal.devicesToConfirm--;
                removal.devicesByNode.merge(confirmed.node(), -1, Integer::sum);
                tryFinishRemoval();
            }
        }

        void nodeGone(String node) {
            if (removal != null && removal.nodesToHear.remove(node)) {
                tryFinishRemoval();
            }
            if (removal != null) {
                // Devices on a dead node show nothing more; their confirmations will never come.
                removal.devicesToConfirm -= removal.devicesByNode.getOrDefault(node, 0);
                removal.devicesByNode.remove(node);
                tryFinishRemoval();
            }
        }

        void tryFinishRemoval() {
            if (removal == null || !removal.nodesToHear.isEmpty() || removal.devicesToConfirm > 0 || !loaded) {
                return;
            }
            String user = removal.user;
            removal = null;
            members.remove(user);
            delivered.remove(user);
            read.remove(user);
            record(new HistoryEvent.Member(now, id, user, MemberOp.REMOVE));
            writing = true;
            writeMember(user, null, () -> {
                writing = false;
                drain();
            });
        }

        boolean isMember(String user) {
            MemberState state = members.get(user);
            return state != null && state.settled();
        }

        int memberCount() {
            int n = 0;
            for (MemberState state : members.values()) {
                if (state.settled()) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Sends an ephemeral frame (typing, receipt) to members' online devices, except
         * {@code skipDevice} of {@code skipUser}, or every device of {@code skipUser} when
         * {@code skipDevice} is null.
         */
        void fanOutExcept(String skipUser, String skipDevice, Frame frame) {
            for (Map.Entry<String, MemberState> e : members.entrySet()) {
                String user = e.getKey();
                boolean skipped = user.equals(skipUser);
                if (!e.getValue().settled() || (skipped && skipDevice == null)) {
                    continue;
                }
                if (directory.isOnline(user)) {
                    toUserDevices(user, skipped ? skipDevice : null, frame);
                }
            }
        }
    }

    private static final class PendingRemoval {
        final String user;
        final TreeSet<String> nodesToHear;
        final Map<String, Integer> devicesByNode = new HashMap<>();
        int devicesToConfirm;

        PendingRemoval(String user, TreeSet<String> nodesToHear) {
            this.user = user;
            this.nodesToHear = nodesToHear;
        }
    }

    // ---- catch-up: connected devices that missed a fan-out ---------------------------------------

    private void awaitConfirmation(OwnedChat chat) {
        unconfirmedFanOut.add(chat.id);
        armCatchUp();
    }

    private void armCatchUp() {
        if (!catchUpArmed) {
            catchUpArmed = true;
            emit(new ServerEffect.SetTimer(CATCH_UP_TIMER, now + CATCH_UP_MICROS));
        }
    }

    /**
     * A device's welcome waits until every node has acknowledged its arrival; an announcement (or
     * its acknowledgement) lost on a link cut too briefly for membership to notice would leave the
     * device connected and never welcomed. The nodes still silent are told again each period.
     */
    private void announceUnwelcomedAgain() {
        for (Long id : new ArrayList<>(unwelcomed)) {
            Session s = sessions.get(id);
            if (s == null || s.awaitingAcks == null || s.awaitingAcks.isEmpty()) {
                unwelcomed.remove(id);
                continue;
            }
            for (String node : s.awaitingAcks) {
                emit(new ServerEffect.Route(node, new PeerMessage.DirectoryUpdate(s.user, s.device, nodeId, true, now)));
            }
        }
    }

    /**
     * A push can be lost on its way to a connected device: the link between the owner and the
     * device's node was cut for a moment, a node died with it in flight, ownership moved. Each
     * device's delivered watermark tells the owner what it has confirmed: an online device of a
     * member still below a head that was fanned out a full period ago gets a {@code notify} with
     * the head, and syncs from its cursor (or, already there, reports its watermark again). Nudges
     * to a device back off (1, 2, 4, 8... periods) while its watermark does not move.
     */
    private void nudgeLaggingMembers() {
        for (String chatId : new ArrayList<>(unconfirmedFanOut)) {
            OwnedChat chat = chats.get(chatId);
            if (chat == null || !chat.loaded) {
                unconfirmedFanOut.remove(chatId);
                continue;
            }
            boolean settled = true;
            for (Map.Entry<String, MemberState> e : chat.members.entrySet()) {
                if (!e.getValue().settled()) {
                    continue;
                }
                String user = e.getKey();
                for (Map.Entry<String, String> device : directory.devicesOf(user).entrySet()) {
                    String key = deviceKey(user, device.getKey());
                    long mark = chat.deviceDelivered.getOrDefault(key, 0L);
                    if (mark >= chat.lastSeq) {
                        chat.nudges.remove(key);
                        continue;
                    }
                    settled = false;
                    if (mark >= chat.dueSeq) {
                        continue;
                    }
                    int sent = chat.nudges.getOrDefault(key, 0);
                    chat.nudges.put(key, sent + 1);
                    if (Integer.bitCount(sent + 1) == 1) {
                        deviceFrame(device.getValue(), user, device.getKey(), new Frame.Notify(chat.id, chat.lastSeq));
                    }
                }
            }
            chat.dueSeq = chat.lastSeq;
            if (settled) {
                unconfirmedFanOut.remove(chatId);
            }
        }
    }

    private static String deviceKey(String user, String device) {
        return user + '\u0000' + device;
    }

    /**
     * A node that comes back (a partition heals) may have owned some of this node's chats while it
     * could not be seen, and stored messages in them that this node's in-memory head does not know:
     * a stale owner would take devices that missed those messages for up to date, and nobody would
     * fence it until it writes again. Every chat is claimed afresh (the store fences the other
     * side for good) and reloaded; the catch-up then nudges whoever is behind the true head. Queued
     * requests move to the fresh state; a write in flight is refused as unavailable and retried.
     */
    private void reclaimOwnedChats() {
        for (String chatId : new TreeSet<>(chats.keySet())) {
            OwnedChat stale = chats.get(chatId);
            OwnedChat fresh = new OwnedChat(chatId);
            fresh.queue.addAll(stale.queue);
            stale.queue.clear();
            chats.put(chatId, fresh);
            fresh.claim(false);
        }
    }

    private void replayDeferredIfReady() {
        while (awaitingSnapshots.isEmpty() && !deferredOwnerRequests.isEmpty()) {
            ownerRequest(deferredOwnerRequests.poll());
        }
    }

    private void disown(OwnedChat chat, String why) {
        chats.remove(chat.id);
        for (PeerMessage request : chat.queue) {
            refuse(request, ErrorCode.UNAVAILABLE, why + "; retry");
        }
        chat.queue.clear();
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Only an {@code add} may bring a chat into being; any other request leaves a missing chat missing. */
    private static boolean createsChat(PeerMessage request) {
        return request instanceof PeerMessage.MembershipRequest m && m.op() == MemberOp.ADD && m.actorNode() != null;
    }

    /** The answer to a request from someone who is not a member (or about a chat that does not exist). */
    private void refuseNonMember(PeerMessage request) {
        String chat = chatOf(request);
        if (request instanceof PeerMessage.Submit m) {
            deviceFrame(m.node(), m.user(), m.device(), new Frame.Fail(chat, m.cmid(), ErrorCode.NOT_A_MEMBER,
                    m.user() + " is not a member of " + chat));
        } else if (request instanceof PeerMessage.SyncRequest m) {
            deviceFrame(m.node(), m.user(), m.device(), notAMember(m.user(), chat));
        } else if (request instanceof PeerMessage.WatermarkReport m) {
            deviceFrame(m.node(), m.user(), m.device(), notAMember(m.user(), chat));
        } else if (request instanceof PeerMessage.TypingReport m) {
            deviceFrame(m.node(), m.user(), m.device(), notAMember(m.user(), chat));
        } else if (request instanceof PeerMessage.MembershipRequest m) {
            refuse(m, ErrorCode.FORBIDDEN, m.actor() + " is not a member of " + chat);
        }
    }

    private static Frame.Error notAMember(String user, String chat) {
        return new Frame.Error(ErrorCode.NOT_A_MEMBER, user + " is not a member of " + chat, chat, null);
    }

    private void refuse(PeerMessage request, ErrorCode code, String why) {
        if (request instanceof PeerMessage.Submit submit) {
            deviceFrame(submit.node(), submit.user(), submit.device(), new Frame.Error(code, why, submit.chat(), submit.cmid()));
        } else if (request instanceof PeerMessage.SyncRequest sync) {
            deviceFrame(sync.node(), sync.user(), sync.device(), new Frame.SyncDone(sync.chat(), sync.afterSeq(), true));
        } else if (request instanceof PeerMessage.MembershipRequest m && m.actorNode() != null) {
            deviceFrame(m.actorNode(), m.actor(), m.actorDevice(), new Frame.Error(code, why, m.chat(), null));
        }
    }

    /** Frames for the devices of {@code user}, wherever they are: by directory lookup or by topic. */
    private void toUserDevices(String user, String exceptDevice, Frame frame) {
        PeerMessage message = new PeerMessage.ToUser(user, exceptDevice, frame);
        if (config.routing() == Routing.PUBSUB) {
            emit(new ServerEffect.Publish(userTopic(user), message));
            return;
        }
        for (String node : directory.nodesOf(user)) {
            route(node, message);
        }
    }

    private void deviceFrame(String node, String user, String device, Frame frame) {
        route(node, new PeerMessage.ToDevice(user, device, frame));
    }

    private void route(String node, PeerMessage message) {
        if (node.equals(nodeId)) {
            handlePeer(message);
        } else {
            emit(new ServerEffect.Route(node, message));
        }
    }

    private void broadcastDirectory(PeerMessage.DirectoryUpdate update) {
        if (directory.apply(update)) {
            presenceChanged(update.user());
        }
        for (String node : view.nodes()) {
            if (!node.equals(nodeId)) {
                emit(new ServerEffect.Route(node, update));
            }
        }
    }

    private List<PeerMessage.DirectoryUpdate> localDirectory() {
        List<PeerMessage.DirectoryUpdate> entries = new ArrayList<>();
        for (Map<String, Session> devices : sessionsByUser.values()) {
            for (Session s : devices.values()) {
                entries.add(new PeerMessage.DirectoryUpdate(s.user, s.device, nodeId, true, now));
            }
        }
        return entries;
    }

    private void presenceChanged(String user) {
        TreeMap<Long, Session> watchers = watchersOf.get(user);
        if (watchers == null) {
            return;
        }
        Frame notice = presenceOf(user);
        for (Session s : watchers.values()) {
            send(s, notice);
        }
    }

    private Frame.PresenceNotice presenceOf(String user) {
        boolean online = directory.isOnline(user);
        return new Frame.PresenceNotice(user, online ? PresenceState.ONLINE : PresenceState.OFFLINE,
                online ? -1 : directory.lastSeen(user));
    }

    private void storeThen(StoreOp op, java.util.function.Consumer<StoreResult> then) {
        storeThen(op, then, failed -> storeGaveUp(op, failed));
    }

    /** As {@link #storeThen(StoreOp, java.util.function.Consumer)}, with an answer of its own when the store gives up. */
    private void storeThen(StoreOp op, java.util.function.Consumer<StoreResult> then,
                           java.util.function.Consumer<StoreResult.Failed> gaveUp) {
        long requestId = nextRequestId++;
        storeCallbacks.put(requestId, result -> {
            if (result instanceof StoreResult.Failed failed) {
                gaveUp.accept(failed);
            } else {
                then.accept(result);
            }
        });
        emit(new ServerEffect.Store(requestId, op));
    }

    /**
     * The store gave up on a write or a claim of a chat this node serves: what the node holds of the
     * chat may now differ from the store, so it lets the chat go (answering what waited with
     * {@code unavailable}); the next request claims it afresh, and the chat goes on.
     */
    private void storeGaveUp(StoreOp op, StoreResult.Failed failed) {
        OwnedChat chat = chats.get(op.chat());
        if (chat != null) {
            disown(chat, "the store failed (" + failed.reason() + ")");
        }
    }

    private void armSweep() {
        if (!sweepArmed && !sessions.isEmpty()) {
            sweepArmed = true;
            emit(new ServerEffect.SetTimer(SWEEP_TIMER, now + Math.max(1, config.presenceTtlMicros() / 2)));
        }
    }

    private Session localSession(String user, String device) {
        Map<String, Session> devices = sessionsByUser.get(user);
        return devices == null ? null : devices.get(device);
    }

    private void send(Session s, Frame frame) {
        if (!s.unanswered.isEmpty()) {
            settleAnswer(s, frame);
        }
        if (frame instanceof Frame.Membership m && m.user().equals(s.user)) {
            if (m.op() == MemberOp.ADD) {
                s.chats.add(m.chat());
            } else {
                s.chats.remove(m.chat());
            }
        }
        if (s.heldUntilWelcome != null) {
            // Gathering the welcome takes a while: a notice sent before it (say, "added to c3") would be
            // undone by a welcome read before the addition. Held back, it arrives after and stands.
            // Beyond the limit the session is closed instead of welcomed: the device reconnects and syncs.
            if (s.heldUntilWelcome.size() < config.chatQueueMax()) {
                s.heldUntilWelcome.add(frame);
            } else {
                s.heldOverflowed = true;
            }
            return;
        }
        emit(new ServerEffect.SendFrame(s.id, frame));
    }

    private static void settleAnswer(Session s, Frame frame) {
        if (frame instanceof Frame.Ack a) {
            s.unanswered.remove(answerKey(a.chat(), a.cmid()));
        } else if (frame instanceof Frame.Fail f) {
            s.unanswered.remove(answerKey(f.chat(), f.cmid()));
        } else if (frame instanceof Frame.Error e && e.cmid() != null) {
            s.unanswered.remove(answerKey(e.chat(), e.cmid()));
        }
    }

    private void record(HistoryEvent event) {
        emit(new ServerEffect.Record(event));
    }

    private void emit(ServerEffect effect) {
        out.add(effect);
    }

    private void begin(long nowMicros) {
        now = nowMicros;
        out = new ArrayList<>();
    }

    private List<ServerEffect> end() {
        List<ServerEffect> result = out;
        out = new ArrayList<>();
        return result;
    }

    private static String userTopic(String user) {
        return "user:" + user;
    }

    private static String chatOf(PeerMessage request) {
        if (request instanceof PeerMessage.Submit m) return m.chat();
        if (request instanceof PeerMessage.SyncRequest m) return m.chat();
        if (request instanceof PeerMessage.WatermarkReport m) return m.chat();
        if (request instanceof PeerMessage.TypingReport m) return m.chat();
        if (request instanceof PeerMessage.MembershipRequest m) return m.chat();
        throw new IllegalArgumentException("not a request for a chat's owner: " + request);
    }

    private static int hops(PeerMessage request) {
        if (request instanceof PeerMessage.Submit m) return m.hops();
        if (request instanceof PeerMessage.SyncRequest m) return m.hops();
        if (request instanceof PeerMessage.WatermarkReport m) return m.hops();
        if (request instanceof PeerMessage.TypingReport m) return m.hops();
        if (request instanceof PeerMessage.MembershipRequest m) return m.hops();
        return 0;
    }

    private static PeerMessage withHop(PeerMessage r) {
        if (r instanceof PeerMessage.Submit m) {
            return new PeerMessage.Submit(m.chat(), m.user(), m.device(), m.node(), m.cmid(), m.body(), m.hops() + 1);
        }
        if (r instanceof PeerMessage.SyncRequest m) {
            return new PeerMessage.SyncRequest(m.chat(), m.user(), m.device(), m.node(), m.afterSeq(), m.limit(), m.hops() + 1);
        }
        if (r instanceof PeerMessage.WatermarkReport m) {
            return new PeerMessage.WatermarkReport(m.chat(), m.user(), m.device(), m.node(), m.state(), m.seq(), m.hops() + 1);
        }
        if (r instanceof PeerMessage.TypingReport m) {
            return new PeerMessage.TypingReport(m.chat(), m.user(), m.device(), m.node(), m.hops() + 1);
        }
        PeerMessage.MembershipRequest m = (PeerMessage.MembershipRequest) r;
        return new PeerMessage.MembershipRequest(m.chat(), m.actor(), m.user(), m.op(), m.actorDevice(), m.actorNode(), m.hops() + 1);
    }

    /** A device's open session on this node. */
    private static final class Session {
        final long id;
        final String user;
        final String device;
        long lastHeardMicros;
        /** When the session opened, as its directory update says: the newer of two sessions of a device stays. */
        long openedMicros;
        /** Nodes that have not yet confirmed they know this device is here; null once welcomed. */
        TreeSet<String> awaitingAcks;
        /** Pinned ownership: live nodes whose chats of this user the welcome still awaits; null once sent. */
        TreeSet<String> awaitingHomes;
        /** Pinned ownership: the chats gathered for the welcome so far, by chat. */
        TreeMap<String, Frame.ChatHead> heads;
        /** Pinned ownership: homes that were down when the welcome was gathered; null before. */
        TreeSet<String> homesDown;
        /** Pinned ownership: frames for the device held until its welcome has gone out; null after. */
        List<Frame> heldUntilWelcome;
        boolean heldOverflowed;
        /** Pinned ownership: homes back up whose chats this device must be shown again. */
        final TreeSet<String> reannounceFrom = new TreeSet<>();
        final java.util.Set<String> watching = new java.util.TreeSet<>();
        /** Pinned ownership: users this session asked to watch, while their chats' homes are asked. */
        final TreeMap<String, PresenceCheck> presenceChecks = new TreeMap<>();
        /** The user's chats as this session knows them (welcome, then notices): whose presence it may watch. */
        final TreeSet<String> chats = new TreeSet<>();
        /** Sends passed on to their chats' owners and not yet answered, by chat and cmid, oldest first. */
        final LinkedHashMap<String, UnansweredSend> unanswered = new LinkedHashMap<>();
        final java.util.Set<String> leaving = new java.util.TreeSet<>();

        Session(long id, String user, String device) {
            this.id = id;
            this.user = user;
            this.device = device;
        }
    }

    /** This node's replica of where every online device is, and when each offline user was last seen. */
    private static final class Directory {
        private final Map<String, Map<String, String>> nodeByDevice = new HashMap<>();
        private final Map<String, Long> lastSeen = new HashMap<>();

        /** Applies an update; true if the user's online state changed. */
        boolean apply(PeerMessage.DirectoryUpdate u) {
            boolean wasOnline = isOnline(u.user());
            Map<String, String> devices = nodeByDevice.computeIfAbsent(u.user(), k -> new LinkedHashMap<>());
            if (u.online()) {
                devices.put(u.device(), u.node());
            } else if (u.node().equals(devices.get(u.device()))) {
                devices.remove(u.device());
            }
            if (devices.isEmpty()) {
                nodeByDevice.remove(u.user());
                if (wasOnline) {
                    lastSeen.put(u.user(), u.lastSeenMicros());
                }
            }
            return wasOnline != isOnline(u.user());
        }

        /** Forgets every device held by {@code node}; returns the users who went offline, sorted. */
        List<String> dropNode(String node, long nowMicros) {
            List<String> changes = new ArrayList<>();
            for (var it = nodeByDevice.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                e.getValue().values().removeIf(node::equals);
                if (e.getValue().isEmpty()) {
                    it.remove();
                    lastSeen.put(e.getKey(), nowMicros);
                    changes.add(e.getKey());
                }
            }
            changes.sort(null);
            return changes;
        }

        boolean isOnline(String user) {
            return nodeByDevice.containsKey(user);
        }

        long lastSeen(String user) {
            return lastSeen.getOrDefault(user, -1L);
        }

        /** The user's online devices and the node of each, by device. */
        TreeMap<String, String> devicesOf(String user) {
            Map<String, String> devices = nodeByDevice.get(user);
            return devices == null ? new TreeMap<>() : new TreeMap<>(devices);
        }

        /** The distinct nodes holding the user's devices, in a stable order. */
        List<String> nodesOf(String user) {
            Map<String, String> devices = nodeByDevice.get(user);
            if (devices == null) {
                return List.of();
            }
            return new ArrayList<>(new TreeSet<>(devices.values()));
        }
    }
}
