package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.strategy.SnowflakeIds;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The chat owner role: the chats this node serves ({@link OwnedChat}: claim, queue, sequencing,
 * fan-out, watermarks, membership). A request for a chat's owner is handled here when this node
 * owns the chat and passed on otherwise; a node that has just joined defers requests for its chats
 * until every other node's directory snapshot is in. The catch-up nudges connected devices whose
 * delivered watermark stays below what was fanned out.
 */
final class ChatOwner {

    private final NodeContext ctx;
    private final Presence presence;
    private final SnowflakeIds snowflakes;
    private long clockOffsetMicros;
    private final Map<String, OwnedChat> chats = new HashMap<>();
    /** Owned chats whose latest fan-out some online member has not yet confirmed with a watermark. */
    private final TreeSet<String> unconfirmedFanOut = new TreeSet<>();
    /** Nodes whose directory snapshot this node still awaits; until then it serves no chat as owner. */
    private final TreeSet<String> awaitingSnapshots = new TreeSet<>();
    private final ArrayDeque<PeerMessage> deferredOwnerRequests = new ArrayDeque<>();

    ChatOwner(NodeContext ctx, Presence presence, long nodeNumber) {
        this.ctx = ctx;
        this.presence = presence;
        this.snowflakes = new SnowflakeIds(nodeNumber);
    }

    void setClockOffsetMicros(long offset) {
        this.clockOffsetMicros = offset;
    }

    /** A seq by the node's own clock, which may be off from true time. */
    long nextSnowflake() {
        return snowflakes.next(ctx.now + clockOffsetMicros);
    }

    int count() {
        return chats.size();
    }

    /** Whether {@code chat} is still the state this node serves its chat with (a store answer may come after it moved). */
    boolean holds(OwnedChat chat) {
        return chats.get(chat.id) == chat;
    }

    void forget(String chat) {
        chats.remove(chat);
    }

    /** A request for a chat's owner: handle it here if this node owns the chat, else pass it on. */
    void request(PeerMessage request) {
        String chatId = chatOf(request);
        if (!awaitingSnapshots.isEmpty() && ctx.nodeId.equals(ctx.ownerOf(chatId))) {
            if (deferredOwnerRequests.size() >= ctx.config.chatQueueMax()) {
                refuse(request, ErrorCode.UNAVAILABLE, "node " + ctx.nodeId + " is still joining; retry");
            } else {
                deferredOwnerRequests.add(request);
            }
            return;
        }
        String owner = ctx.ownerOf(chatId);
        if (owner == null && ctx.pinned()) {
            refuseWhileHomeDown(request);
            return;
        }
        if (owner != null && !owner.equals(ctx.nodeId)) {
            if (hops(request) >= ctx.config.hopsMax()) {
                refuse(request, ErrorCode.UNAVAILABLE, "the chat's owner is moving; retry");
            } else {
                ctx.route(owner, withHop(request));
            }
            return;
        }
        OwnedChat chat = chats.get(chatId);
        if (chat == null) {
            chat = new OwnedChat(chatId, this, ctx, presence);
            chats.put(chatId, chat);
            chat.claim(createsChat(request));
        }
        chat.accept(request);
    }

    /** The view is about to change from {@code old}: a fresh node waits for every other node's snapshot. */
    void viewChanging(ClusterView old, ClusterView newView) {
        if (old.nodes().isEmpty()) {
            // A fresh node knows no device yet: as owner it would take online users for offline ones.
            for (String node : newView.nodes()) {
                if (!node.equals(ctx.nodeId)) {
                    awaitingSnapshots.add(node);
                }
            }
        }
        awaitingSnapshots.retainAll(newView.nodes());
    }

    void nodeGone(String node) {
        for (OwnedChat chat : chats.values()) {
            chat.nodeGone(node);
        }
    }

    /** Chats the new view gives to another node are let go. */
    void disownMoved() {
        for (OwnedChat chat : new ArrayList<>(chats.values())) {
            if (!ctx.nodeId.equals(ctx.ownerOf(chat.id))) {
                disown(chat, "chat moved to another node");
            }
        }
    }

    /** Removals that waited for a node that left may be done now. */
    void tryFinishRemovals() {
        for (OwnedChat chat : new ArrayList<>(chats.values())) {
            chat.tryFinishRemoval();
        }
    }

    /** A node's directory snapshot arrived (the presence role has applied it). */
    void snapshotArrived(String node) {
        awaitingSnapshots.remove(node);
        // A node sends its snapshot when it sees this one join. Views need not change together:
        // this node may have seen the whole cluster for seconds while the sender still wrote to
        // chats that this node owns in its view (fenced, but this node's heads are stale). So the
        // sender's arrival is a rejoin here too: claim every owned chat afresh, as on a view
        // change (a real partition with iptables left a node thinking its devices up to date).
        if (node != null && !node.equals(ctx.nodeId)) {
            reclaimOwnedChats();
        }
        // Devices this node took for offline while it could not hear their node may have missed fan-out.
        for (OwnedChat chat : chats.values()) {
            awaitConfirmation(chat);
        }
        replayDeferredIfReady();
    }

    void removalNoticed(PeerMessage.RemovalNoticed noticed) {
        OwnedChat chat = chats.get(noticed.chat());
        if (chat != null) {
            chat.removalNoticed(noticed);
        }
    }

    void removalConfirmed(PeerMessage.RemovalConfirmed confirmed) {
        OwnedChat chat = chats.get(confirmed.chat());
        if (chat != null) {
            chat.removalConfirmed(confirmed);
        }
    }

    /**
     * The store gave up on a write or a claim of a chat this node serves: what the node holds of the
     * chat may now differ from the store, so it lets the chat go (answering what waited with
     * {@code unavailable}); the next request claims it afresh, and the chat goes on.
     */
    void storeGaveUp(StoreOp op, StoreResult.Failed failed) {
        OwnedChat chat = chats.get(op.chat());
        if (chat != null) {
            disown(chat, "the store failed (" + failed.reason() + ")");
        }
    }

    void disown(OwnedChat chat, String why) {
        chats.remove(chat.id);
        chat.refuseQueued(why);
    }

    /**
     * A node that comes back (a partition heals) may have owned some of this node's chats while it
     * could not be seen, and stored messages in them that this node's in-memory head does not know:
     * a stale owner would take devices that missed those messages for up to date, and nobody would
     * fence it until it writes again. Every chat is claimed afresh (the store fences the other
     * side for good) and reloaded; the catch-up then nudges whoever is behind the true head. Queued
     * requests move to the fresh state; a write in flight is refused as unavailable and retried.
     */
    void reclaimOwnedChats() {
        for (String chatId : new TreeSet<>(chats.keySet())) {
            OwnedChat stale = chats.get(chatId);
            OwnedChat fresh = new OwnedChat(chatId, this, ctx, presence);
            fresh.takeQueued(stale);
            chats.put(chatId, fresh);
            fresh.claim(false);
        }
    }

    void replayDeferredIfReady() {
        while (awaitingSnapshots.isEmpty() && !deferredOwnerRequests.isEmpty()) {
            request(deferredOwnerRequests.poll());
        }
    }

    // ---- catch-up: connected devices that missed a fan-out ---------------------------------------

    void awaitConfirmation(OwnedChat chat) {
        unconfirmedFanOut.add(chat.id);
        ctx.armCatchUp();
    }

    boolean hasUnconfirmedFanOut() {
        return !unconfirmedFanOut.isEmpty();
    }

    /**
     * A push can be lost on its way to a connected device: the link between the owner and the
     * device's node was cut for a moment, a node died with it in flight, ownership moved. Each
     * device's delivered watermark tells the owner what it has confirmed: an online device of a
     * member still below a head that was fanned out a full period ago gets a {@code notify} with
     * the head, and syncs from its cursor (or, already there, reports its watermark again). Nudges
     * to a device back off (1, 2, 4, 8... periods) while its watermark does not move.
     */
    void nudgeLaggingMembers() {
        for (String chatId : new ArrayList<>(unconfirmedFanOut)) {
            OwnedChat chat = chats.get(chatId);
            if (chat == null || !chat.isLoaded()) {
                unconfirmedFanOut.remove(chatId);
                continue;
            }
            if (chat.nudgeLaggingDevices()) {
                unconfirmedFanOut.remove(chatId);
            }
        }
    }

    // ---- answers to requests this node cannot serve -----------------------------------------------

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
            ctx.deviceFrame(submit.node(), submit.user(), submit.device(),
                    new Frame.Fail(chat, submit.cmid(), ErrorCode.UNAVAILABLE, why));
        } else {
            refuse(request, ErrorCode.UNAVAILABLE, why);
        }
    }

    /** The answer to a request from someone who is not a member (or about a chat that does not exist). */
    void refuseNonMember(PeerMessage request) {
        String chat = chatOf(request);
        if (request instanceof PeerMessage.Submit m) {
            ctx.deviceFrame(m.node(), m.user(), m.device(), new Frame.Fail(chat, m.cmid(), ErrorCode.NOT_A_MEMBER,
                    m.user() + " is not a member of " + chat));
        } else if (request instanceof PeerMessage.SyncRequest m) {
            ctx.deviceFrame(m.node(), m.user(), m.device(), notAMember(m.user(), chat));
        } else if (request instanceof PeerMessage.WatermarkReport m) {
            ctx.deviceFrame(m.node(), m.user(), m.device(), notAMember(m.user(), chat));
        } else if (request instanceof PeerMessage.TypingReport m) {
            ctx.deviceFrame(m.node(), m.user(), m.device(), notAMember(m.user(), chat));
        } else if (request instanceof PeerMessage.MembershipRequest m) {
            refuse(m, ErrorCode.FORBIDDEN, m.actor() + " is not a member of " + chat);
        }
    }

    static Frame.Error notAMember(String user, String chat) {
        return new Frame.Error(ErrorCode.NOT_A_MEMBER, user + " is not a member of " + chat, chat, null);
    }

    void refuse(PeerMessage request, ErrorCode code, String why) {
        if (request instanceof PeerMessage.Submit submit) {
            ctx.deviceFrame(submit.node(), submit.user(), submit.device(), new Frame.Error(code, why, submit.chat(), submit.cmid()));
        } else if (request instanceof PeerMessage.SyncRequest sync) {
            ctx.deviceFrame(sync.node(), sync.user(), sync.device(), new Frame.SyncDone(sync.chat(), sync.afterSeq(), true));
        } else if (request instanceof PeerMessage.MembershipRequest m && m.actorNode() != null) {
            ctx.deviceFrame(m.actorNode(), m.actor(), m.actorDevice(), new Frame.Error(code, why, m.chat(), null));
        }
    }

    // ---- requests for an owner, as data ------------------------------------------------------------

    /** Only an {@code add} may bring a chat into being; any other request leaves a missing chat missing. */
    static boolean createsChat(PeerMessage request) {
        return request instanceof PeerMessage.MembershipRequest m && m.op() == MemberOp.ADD && m.actorNode() != null;
    }

    /** A send's identity in its chat, as the store dedupes it: sender and cmid. */
    static String sendKey(PeerMessage.Submit submit) {
        return submit.user() + '\u0000' + submit.cmid();
    }

    static String deviceKey(String user, String device) {
        return user + '\u0000' + device;
    }

    static String chatOf(PeerMessage request) {
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
}
