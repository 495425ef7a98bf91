package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.strategy.Ownership;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pinned ownership's part of the welcome: a node-local store lists only the chats homed on its
 * node, so a session's welcome gathers the user's chats from every live home, and answers other
 * nodes' questions about the chats homed here. Chats homed on a node that is down cannot be
 * listed; the device stops showing them until that home is back, and then they are re-announced.
 */
final class PinnedHomes {

    private final NodeContext ctx;
    private final Gateway gateway;

    PinnedHomes(NodeContext ctx, Gateway gateway) {
        this.ctx = ctx;
        this.gateway = gateway;
    }

    private Ownership.PinnedHome pinned() {
        return (Ownership.PinnedHome) ctx.config.ownership();
    }

    /** The session is known to every node: every live home is asked for the user's chats. */
    void askHomesForChats(Session s) {
        s.awaitingHomes = new TreeSet<>(ctx.view.nodes());
        s.heads = new TreeMap<>();
        s.homesDown = new TreeSet<>(pinned().homes());
        s.homesDown.removeAll(ctx.view.nodes());
        for (String node : ctx.view.nodes()) {
            ctx.route(node, new PeerMessage.HomeChatsRequest(s.user, s.id, ctx.nodeId));
        }
    }

    /** Another node (or this one) asks for a user's chats homed here. */
    void answerHomeChats(PeerMessage.HomeChatsRequest ask) {
        ctx.storeThen(new StoreOp.ChatsOf(ask.user()), result -> {
            List<Frame.ChatHead> heads = new ArrayList<>();
            for (StoreResult.ChatHead head : ((StoreResult.Chats) result).heads()) {
                if (ctx.nodeId.equals(pinned().homeOf(head.chat()))) {
                    heads.add(new Frame.ChatHead(head.chat(), head.lastSeq()));
                }
            }
            ctx.route(ask.gateway(), new PeerMessage.HomeChats(ask.user(), ask.session(), ctx.nodeId, heads));
        });
    }

    /** A home answered for the session's own user: part of its welcome, or chats to show again. */
    void homeChatsArrived(Session s, PeerMessage.HomeChats answer) {
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
                gateway.send(s, new Frame.Membership(head.chat(), s.user, MemberOp.ADD));
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
            ctx.emit(new ServerEffect.CloseSession(s.id, "too many frames held before the welcome"));
            gateway.drop(s);
            return;
        }
        // What the session may watch and do: the chats its welcome lists, gathered from every home.
        s.chats.addAll(s.heads.keySet());
        gateway.send(s, new Frame.Welcome(ctx.nodeId, ctx.nodeId + "/" + s.id, new ArrayList<>(s.heads.values())));
        s.heads = null;
        for (Frame frame : held) {
            gateway.send(s, frame);
        }
    }

    /** A home that died while the welcome waited is left out; one that came back is asked. */
    void homesChanged(Session s, ClusterView old) {
        if (s.homesDown == null) {
            return;
        }
        for (String gone : old.nodes()) {
            if (!ctx.view.contains(gone) && !gone.equals(ctx.nodeId)) {
                if (s.awaitingHomes != null && s.awaitingHomes.remove(gone)) {
                    s.homesDown.add(gone);
                }
                s.reannounceFrom.remove(gone);
            }
        }
        for (String joined : ctx.view.nodes()) {
            if (old.contains(joined) || !s.homesDown.remove(joined)) {
                continue;
            }
            if (s.awaitingHomes != null) {
                s.awaitingHomes.add(joined);
            } else {
                s.reannounceFrom.add(joined);
            }
            ctx.route(joined, new PeerMessage.HomeChatsRequest(s.user, s.id, ctx.nodeId));
        }
        welcomeWhenHomesAnswered(s);
    }
}
