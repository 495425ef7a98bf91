package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.strategy.Routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The gateway role: the sessions of the devices connected to this node. It opens a session on a
 * hello (closing an older one of the same device, here or on another node), welcomes it once every
 * node knows the device is here, turns a device's frames into requests for the chats' owners,
 * writes frames to sessions (holding them back until a pinned welcome is out), answers sends their
 * owner left unanswered, and closes sessions that went silent.
 */
final class Gateway {

    private final NodeContext ctx;
    private final Map<Long, Session> sessions = new HashMap<>();
    private final Map<String, Map<String, Session>> sessionsByUser = new TreeMap<>();
    /** Sessions whose welcome still waits for other nodes to acknowledge the device's arrival. */
    private final TreeSet<Long> unwelcomed = new TreeSet<>();
    private final AnnouncementRetries retries = new AnnouncementRetries();
    private boolean sweepArmed;
    private boolean answerSweepArmed;
    private Presence presence;
    private ChatOwner owner;
    private PinnedHomes homes;

    Gateway(NodeContext ctx) {
        this.ctx = ctx;
    }

    void wire(Presence presence, ChatOwner owner, PinnedHomes homes) {
        this.presence = presence;
        this.owner = owner;
        this.homes = homes;
    }

    int count() {
        return sessions.size();
    }

    Session session(long id) {
        return sessions.get(id);
    }

    /** Whether {@code s} is still the open session of its id (a store answer may come after it closed). */
    boolean isOpen(Session s) {
        return sessions.get(s.id) == s;
    }

    /** The open sessions, in a copy the caller may iterate while sessions close. */
    List<Session> openSessions() {
        return new ArrayList<>(sessions.values());
    }

    /** A frame arrived on a session; the first frame of a session must be a hello. */
    void frame(long session, Frame frame) {
        Session s = sessions.get(session);
        if (s == null) {
            if (frame instanceof Frame.Hello hello) {
                open(session, hello);
            } else {
                ctx.emit(new ServerEffect.SendFrame(session, new Frame.Error(ErrorCode.NOT_AUTHENTICATED,
                        "send a hello frame first")));
            }
            return;
        }
        s.lastHeardMicros = ctx.now;
        deviceFrame(s, frame);
    }

    void closed(long session) {
        Session s = sessions.get(session);
        if (s != null) {
            drop(s);
        }
    }

    /** Sessions that sent nothing for the presence TTL are closed. */
    void sweepSilent() {
        sweepArmed = false;
        for (Session s : new ArrayList<>(sessions.values())) {
            if (ctx.now - s.lastHeardMicros > ctx.config.presenceTtlMicros()) {
                ctx.emit(new ServerEffect.CloseSession(s.id, "presence ttl expired"));
                drop(s);
            }
        }
        armSweep();
    }

    /** Sends whose owner did not answer in time get an answer of their own node: the outcome is unknown. */
    void answerOverdueSends() {
        answerSweepArmed = false;
        boolean waiting = false;
        for (Map<String, Session> devices : sessionsByUser.values()) {
            for (Session s : devices.values()) {
                for (Session.UnansweredSend send : new ArrayList<>(s.unanswered.values())) {
                    if (ctx.now - send.sentAtMicros() >= ChatServerNode.SEND_ANSWER_MICROS_MAX) {
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
            ctx.emit(new ServerEffect.SetTimer(ChatServerNode.ANSWER_TIMER, ctx.now + ChatServerNode.SEND_ANSWER_SWEEP_MICROS));
        }
    }

    private void open(long id, Frame.Hello hello) {
        Session s = new Session(id, hello.user(), hello.device());
        s.lastHeardMicros = ctx.now;
        s.openedMicros = ctx.now;
        Session previous = sessionsByUser.computeIfAbsent(s.user, u -> new TreeMap<>()).get(s.device);
        if (previous != null) {
            ctx.emit(new ServerEffect.CloseSession(previous.id, ChatServerNode.REPLACED));
            drop(previous);
        }
        boolean firstOfUser = sessionsByUser.computeIfAbsent(s.user, u -> new TreeMap<>()).isEmpty();
        sessions.put(id, s);
        sessionsByUser.get(s.user).put(s.device, s);
        if (firstOfUser && ctx.config.routing() == Routing.PUBSUB) {
            ctx.emit(new ServerEffect.Subscribe(NodeContext.userTopic(s.user)));
        }
        // The welcome lists the user's chats only once every node knows this device is here: a message
        // an owner announced before it knew is then already in the store, and the device syncs it.
        s.awaitingAcks = new TreeMap<>();
        for (String node : ctx.view.nodes()) {
            if (!node.equals(ctx.nodeId)) {
                s.awaitingAcks.put(node, ctx.now);
            }
        }
        if (!s.awaitingAcks.isEmpty()) {
            unwelcomed.add(id);
            ctx.armCatchUp();
        }
        if (ctx.pinned()) {
            s.heldUntilWelcome = new ArrayList<>();
        }
        presence.broadcast(new PeerMessage.DirectoryUpdate(s.user, s.device, ctx.nodeId, true, ctx.now));
        armSweep();
        welcomeWhenAcked(s);
    }

    private void welcomeWhenAcked(Session s) {
        if (s.awaitingAcks == null || !s.awaitingAcks.isEmpty() || sessions.get(s.id) != s) {
            return;
        }
        s.awaitingAcks = null;
        if (ctx.pinned()) {
            homes.askHomesForChats(s);
            return;
        }
        long id = s.id;
        ctx.storeThen(new StoreOp.ChatsOf(s.user), result -> {
            if (sessions.get(id) != s) {
                return;
            }
            List<Frame.ChatHead> heads = new ArrayList<>();
            for (StoreResult.ChatHead head : ((StoreResult.Chats) result).heads()) {
                heads.add(new Frame.ChatHead(head.chat(), head.lastSeq()));
                s.chats.add(head.chat());
            }
            send(s, new Frame.Welcome(ctx.nodeId, ctx.nodeId + "/" + id, heads));
        }, failed -> {
            // Without its chats the session cannot be welcomed: closed, the device reconnects and asks again.
            if (sessions.get(id) == s) {
                ctx.emit(new ServerEffect.CloseSession(s.id, "the store failed to list the user's chats; reconnect"));
                drop(s);
            }
        });
    }

    private void deviceFrame(Session s, Frame frame) {
        String nodeId = ctx.nodeId;
        if (frame instanceof Frame.Send send) {
            s.unanswered.putIfAbsent(Session.answerKey(send.chat(), send.cmid()),
                    new Session.UnansweredSend(send.chat(), send.cmid(), ctx.now));
            armAnswerSweep();
            owner.request(new PeerMessage.Submit(send.chat(), s.user, s.device, nodeId, send.cmid(), send.body(), 0));
        } else if (frame instanceof Frame.Sync sync) {
            int limit = Math.max(1, Math.min(sync.limit(), ctx.config.syncLimitMax()));
            owner.request(new PeerMessage.SyncRequest(sync.chat(), s.user, s.device, nodeId, sync.afterSeq(), limit, 0));
        } else if (frame instanceof Frame.Delivered d) {
            owner.request(new PeerMessage.WatermarkReport(d.chat(), s.user, s.device, nodeId, ReceiptState.DELIVERED, d.seq(), 0));
        } else if (frame instanceof Frame.Read r) {
            owner.request(new PeerMessage.WatermarkReport(r.chat(), s.user, s.device, nodeId, ReceiptState.READ, r.seq(), 0));
        } else if (frame instanceof Frame.Typing t) {
            owner.request(new PeerMessage.TypingReport(t.chat(), s.user, s.device, nodeId, 0));
        } else if (frame instanceof Frame.Membership m) {
            owner.request(new PeerMessage.MembershipRequest(m.chat(), s.user, m.user(), m.op(), s.device, nodeId, 0));
        } else if (frame instanceof Frame.Left left) {
            if (s.leaving.remove(left.chat())) {
                String chatOwner = ctx.ownerOf(left.chat());
                if (chatOwner != null) {
                    ctx.route(chatOwner, new PeerMessage.RemovalConfirmed(left.chat(), s.user, nodeId));
                }
            } else {
                send(s, new Frame.Error(ErrorCode.FORBIDDEN, "'left' confirms a removal notice, and no removal from "
                        + left.chat() + " awaits this device's confirmation", left.chat(), null));
            }
        } else if (frame instanceof Frame.Watch w) {
            for (String about : w.users()) {
                presence.watchIfSharingAChat(s, about);
            }
        } else if (frame instanceof Frame.Ping ping) {
            send(s, new Frame.Pong(ping.nonce()));
        } else if (frame instanceof Frame.Hello) {
            send(s, new Frame.Error(ErrorCode.FORBIDDEN, "this session is already open"));
        } else {
            send(s, new Frame.Error(ErrorCode.UNKNOWN_TYPE, "a device may not send '" + frame.type() + "'"));
        }
    }

    /** Forgets a session (the host closes its transport, or already has) and tells every node the device left. */
    void drop(Session s) {
        sessions.remove(s.id);
        presence.forget(s);
        Map<String, Session> devices = sessionsByUser.get(s.user);
        if (devices != null && devices.get(s.device) == s) {
            devices.remove(s.device);
            if (devices.isEmpty()) {
                sessionsByUser.remove(s.user);
                if (ctx.config.routing() == Routing.PUBSUB) {
                    ctx.emit(new ServerEffect.Unsubscribe(NodeContext.userTopic(s.user)));
                }
            }
        }
        for (String chat : s.leaving) {
            String chatOwner = ctx.ownerOf(chat);
            if (chatOwner != null) {
                ctx.route(chatOwner, new PeerMessage.RemovalConfirmed(chat, s.user, ctx.nodeId));
            }
        }
        s.leaving.clear();
        presence.broadcast(new PeerMessage.DirectoryUpdate(s.user, s.device, ctx.nodeId, false, ctx.now));
    }

    /**
     * One live session per device: the same device opened a session on another node, so the older
     * of the two is closed. The later opening wins (the node name breaks a tie), so the two nodes
     * agree which one goes, whichever hears of the other first.
     */
    void closeIfReplaced(PeerMessage.DirectoryUpdate elsewhere) {
        Session local = localSession(elsewhere.user(), elsewhere.device());
        if (local == null) {
            return;
        }
        boolean newer = elsewhere.lastSeenMicros() > local.openedMicros
                || elsewhere.lastSeenMicros() == local.openedMicros && elsewhere.node().compareTo(ctx.nodeId) > 0;
        if (newer) {
            ctx.emit(new ServerEffect.CloseSession(local.id, ChatServerNode.REPLACED));
            drop(local);
        }
    }

    void toDevice(PeerMessage.ToDevice td) {
        Session s = localSession(td.user(), td.device());
        if (s != null) {
            send(s, td.frame());
        }
    }

    void toUsers(PeerMessage.ToUsers tu) {
        for (String user : tu.users()) {
            Map<String, Session> devices = sessionsByUser.get(user);
            if (devices == null) {
                continue;
            }
            boolean excepting = user.equals(tu.exceptUser());
            for (Session s : devices.values()) {
                if (!(excepting && s.device.equals(tu.exceptDevice()))) {
                    send(s, tu.frame());
                }
            }
        }
    }

    /** A node confirmed it knows the device is here: the welcome may be due. */
    void directoryAcked(PeerMessage.DirectoryAck ack) {
        retries.answered(ack.node(), ack.announcedMicros(), ctx.now);
        Session s = localSession(ack.user(), ack.device());
        if (s != null && s.awaitingAcks != null && s.awaitingAcks.remove(ack.node()) != null) {
            welcomeWhenAcked(s);
        }
    }

    /** Nodes that left the view will not acknowledge: the welcome waits only for the live ones. */
    void viewChanged() {
        retries.retain(ctx.view.nodes());
        for (Session s : new ArrayList<>(sessions.values())) {
            if (s.awaitingAcks != null && s.awaitingAcks.keySet().retainAll(ctx.view.nodes())) {
                welcomeWhenAcked(s);
            }
        }
    }

    /** The owner of a chat removes the user: each of its devices here must confirm it stopped showing the chat. */
    void removalNotice(PeerMessage.RemovalNotice notice) {
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
        ctx.route(notice.owner(), new PeerMessage.RemovalNoticed(notice.chat(), notice.user(), ctx.nodeId, devices));
    }

    /** This node's devices, as a snapshot for a node that joined. */
    List<PeerMessage.DirectoryUpdate> localDirectory() {
        List<PeerMessage.DirectoryUpdate> entries = new ArrayList<>();
        for (Map<String, Session> devices : sessionsByUser.values()) {
            for (Session s : devices.values()) {
                entries.add(new PeerMessage.DirectoryUpdate(s.user, s.device, ctx.nodeId, true, ctx.now));
            }
        }
        return entries;
    }

    /**
     * A device's welcome waits until every node has acknowledged its arrival; an announcement (or
     * its acknowledgement) lost on a link cut too briefly for membership to notice would leave the
     * device connected and never welcomed. Each period, what {@link AnnouncementRetries} takes for
     * lost is announced again, and each silent node gets its oldest unanswered announcement as a probe.
     */
    void announceUnwelcomedAgain() {
        // Per node, the session whose announcement to it has waited longest (the first, on a tie).
        TreeMap<String, Session> oldest = new TreeMap<>();
        for (Long id : new ArrayList<>(unwelcomed)) {
            Session s = sessions.get(id);
            if (s == null || s.awaitingAcks == null || s.awaitingAcks.isEmpty()) {
                unwelcomed.remove(id);
                continue;
            }
            for (Map.Entry<String, Long> waiting : s.awaitingAcks.entrySet()) {
                String node = waiting.getKey();
                if (retries.lost(node, waiting.getValue())) {
                    announceAgain(s, node); // replaces the entry's value: no structural change to the map
                } else {
                    Session o = oldest.get(node);
                    if (o == null || o.awaitingAcks.get(node) > waiting.getValue()) {
                        oldest.put(node, s);
                    }
                }
            }
        }
        for (Map.Entry<String, Session> e : oldest.entrySet()) {
            if (retries.probeDue(e.getKey(), e.getValue().awaitingAcks.get(e.getKey()), ctx.now)) {
                announceAgain(e.getValue(), e.getKey());
                retries.probed(e.getKey());
            }
        }
    }

    /** The session's arrival again, to one node: the opening time is the first copy's, the copy's own is now. */
    private void announceAgain(Session s, String node) {
        s.awaitingAcks.put(node, ctx.now);
        ctx.emit(new ServerEffect.Route(node, new PeerMessage.DirectoryUpdate(s.user, s.device, ctx.nodeId, true,
                s.openedMicros, ctx.now)));
    }

    boolean hasUnwelcomed() {
        return !unwelcomed.isEmpty();
    }

    private void armSweep() {
        if (!sweepArmed && !sessions.isEmpty()) {
            sweepArmed = true;
            ctx.emit(new ServerEffect.SetTimer(ChatServerNode.SWEEP_TIMER,
                    ctx.now + Math.max(1, ctx.config.presenceTtlMicros() / 2)));
        }
    }

    private Session localSession(String user, String device) {
        Map<String, Session> devices = sessionsByUser.get(user);
        return devices == null ? null : devices.get(device);
    }

    /** Writes a frame to a session, settling the send it answers and the chats the session may watch. */
    void send(Session s, Frame frame) {
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
            if (s.heldUntilWelcome.size() < ctx.config.chatQueueMax()) {
                s.heldUntilWelcome.add(frame);
            } else {
                s.heldOverflowed = true;
            }
            return;
        }
        ctx.emit(new ServerEffect.SendFrame(s.id, frame));
    }

    private static void settleAnswer(Session s, Frame frame) {
        if (frame instanceof Frame.Ack a) {
            s.unanswered.remove(Session.answerKey(a.chat(), a.cmid()));
        } else if (frame instanceof Frame.Fail f) {
            s.unanswered.remove(Session.answerKey(f.chat(), f.cmid()));
        } else if (frame instanceof Frame.Error e && e.cmid() != null) {
            s.unanswered.remove(Session.answerKey(e.chat(), e.cmid()));
        }
    }
}
