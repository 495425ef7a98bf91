package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreResult;

import java.util.List;

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
 *
 * <p>This class is the façade that takes the inputs and returns the effects; each role is a class
 * of its own, sharing a {@link NodeContext} (the node's identity, settings, view, time and effects):
 * {@link Gateway} (sessions), {@link Presence} (directory and presence), {@link ChatOwner} with
 * {@link OwnedChat} (ownership, sequencing, fan-out, catch-up), {@link ChatMembers} (membership and
 * its authorization) and {@link PinnedHomes} (the welcome under pinned ownership).
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

    private final NodeContext ctx;
    private final Gateway gateway;
    private final Presence presence;
    private final ChatOwner owner;
    private final PinnedHomes homes;

    public ChatServerNode(String nodeId, long nodeNumber, ServerConfig config) {
        this.ctx = new NodeContext(nodeId, config);
        this.presence = new Presence(ctx);
        this.gateway = new Gateway(ctx);
        this.owner = new ChatOwner(ctx, presence, nodeNumber);
        this.homes = new PinnedHomes(ctx, gateway);
        presence.wire(gateway);
        gateway.wire(presence, owner, homes);
        ctx.wire(this::handlePeer, owner::storeGaveUp);
    }

    public String nodeId() {
        return ctx.nodeId;
    }

    public ServerConfig config() {
        return ctx.config;
    }

    /** How far this node's local clock is from true time; only clock-based sequencing reads it. */
    public void setClockOffsetMicros(long offset) {
        owner.setClockOffsetMicros(offset);
    }

    public int sessionCount() {
        return gateway.count();
    }

    public int ownedChatCount() {
        return owner.count();
    }

    // ---- inputs ------------------------------------------------------------------------------

    /** A frame arrived on a session; the first frame of a session must be a hello. */
    public List<ServerEffect> onFrame(long session, Frame frame, long nowMicros) {
        ctx.begin(nowMicros);
        gateway.frame(session, frame);
        return ctx.end();
    }

    /** The session's transport closed (or the host gave up on it). */
    public List<ServerEffect> onSessionClosed(long session, long nowMicros) {
        ctx.begin(nowMicros);
        gateway.closed(session);
        return ctx.end();
    }

    public List<ServerEffect> onPeer(String from, PeerMessage message, long nowMicros) {
        ctx.begin(nowMicros);
        handlePeer(message);
        return ctx.end();
    }

    public List<ServerEffect> onStored(long requestId, StoreResult result, long nowMicros) {
        ctx.begin(nowMicros);
        ctx.stored(requestId, result);
        return ctx.end();
    }

    public List<ServerEffect> onTimer(String timer, long nowMicros) {
        ctx.begin(nowMicros);
        if (SWEEP_TIMER.equals(timer)) {
            gateway.sweepSilent();
        } else if (ANSWER_TIMER.equals(timer)) {
            gateway.answerOverdueSends();
        } else if (CATCH_UP_TIMER.equals(timer)) {
            ctx.catchUpFired();
            owner.nudgeLaggingMembers();
            gateway.announceUnwelcomedAgain();
            if (owner.hasUnconfirmedFanOut() || gateway.hasUnwelcomed()) {
                ctx.armCatchUp();
            }
        }
        return ctx.end();
    }

    /** The live nodes changed: drop chats this node no longer owns, repair the directory. */
    public List<ServerEffect> onClusterView(ClusterView newView, long nowMicros) {
        ctx.begin(nowMicros);
        ClusterView old = ctx.view;
        ctx.view = newView;
        owner.viewChanging(old, newView);
        for (String gone : old.nodes()) {
            if (!newView.contains(gone)) {
                presence.nodeGone(gone);
                owner.nodeGone(gone);
            }
        }
        boolean someoneJoined = false;
        for (String joined : newView.nodes()) {
            if (!old.contains(joined) && !joined.equals(ctx.nodeId)) {
                someoneJoined = true;
                // Views need not change together or at all on the other side, and a snapshot sent
                // while this node was out of the joiner's view may have been lost: so each join
                // asks the joiner for its directory, whatever the joiner saw.
                sendSnapshot(joined, true);
            }
        }
        owner.disownMoved();
        if (someoneJoined) {
            owner.reclaimOwnedChats();
        }
        owner.tryFinishRemovals();
        gateway.viewChanged();
        if (ctx.pinned()) {
            for (Session s : gateway.openSessions()) {
                presence.presenceChecksLost(s);
                homes.homesChanged(s, old);
            }
        }
        owner.replayDeferredIfReady();
        return ctx.end();
    }

    /** The devices of {@code user} this node's directory holds online, with their nodes (for tests). */
    java.util.TreeMap<String, String> onlineDevicesOf(String user) {
        return presence.devicesOf(user);
    }

    private void sendSnapshot(String node, boolean asksBack) {
        ctx.emit(new ServerEffect.Route(node, new PeerMessage.DirectorySnapshot(ctx.nodeId, gateway.localDirectory(), asksBack)));
    }

    // ---- peer messages: each to the role it concerns ------------------------------------------

    private void handlePeer(PeerMessage message) {
        if (message instanceof PeerMessage.ToDevice td) {
            gateway.toDevice(td);
        } else if (message instanceof PeerMessage.ToUsers tu) {
            gateway.toUsers(tu);
        } else if (message instanceof PeerMessage.DirectoryUpdate du) {
            if (du.online() && !du.node().equals(ctx.nodeId)) {
                gateway.closeIfReplaced(du);
            }
            presence.apply(du);
            if (du.online()) {
                ctx.route(du.node(), new PeerMessage.DirectoryAck(du.user(), du.device(), ctx.nodeId, du.announcedMicros()));
            }
        } else if (message instanceof PeerMessage.DirectoryAck ack) {
            gateway.directoryAcked(ack);
        } else if (message instanceof PeerMessage.DirectorySnapshot snap) {
            for (PeerMessage.DirectoryUpdate du : snap.entries()) {
                presence.apply(du);
            }
            if (snap.asksBack() && ctx.view.contains(snap.node()) && !snap.node().equals(ctx.nodeId)) {
                sendSnapshot(snap.node(), false);
            }
            owner.snapshotArrived(snap.node());
        } else if (message instanceof PeerMessage.RemovalNotice notice) {
            gateway.removalNotice(notice);
        } else if (message instanceof PeerMessage.HomeChatsRequest ask) {
            homes.answerHomeChats(ask);
        } else if (message instanceof PeerMessage.HomeChats answer) {
            Session s = gateway.session(answer.session());
            if (s != null && s.user.equals(answer.user())) {
                homes.homeChatsArrived(s, answer);
            } else if (s != null) {
                presence.presenceCheckArrived(s, answer);
            }
        } else if (message instanceof PeerMessage.RemovalNoticed noticed) {
            owner.removalNoticed(noticed);
        } else if (message instanceof PeerMessage.RemovalConfirmed confirmed) {
            owner.removalConfirmed(confirmed);
        } else {
            owner.request(message);
        }
    }
}
