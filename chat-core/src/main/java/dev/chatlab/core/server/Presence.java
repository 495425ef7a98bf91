package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.Routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The directory and presence role: this node's replica of where every online device is (kept by
 * directory updates and snapshots from every node), the local sessions watching each user, and the
 * check that a watcher shares a chat with whom it watches. It also knows how to reach a user's
 * devices wherever they are, since that is a directory lookup (or, with pub/sub, a topic).
 */
final class Presence {

    private final NodeContext ctx;
    private final Directory directory = new Directory();
    /** Local sessions watching each user's presence, so a change reaches its watchers without a scan. */
    private final Map<String, TreeMap<Long, Session>> watchersOf = new HashMap<>();
    private Gateway gateway;

    Presence(NodeContext ctx) {
        this.ctx = ctx;
    }

    void wire(Gateway gateway) {
        this.gateway = gateway;
    }

    boolean isOnline(String user) {
        return directory.isOnline(user);
    }

    /** The user's online devices and the node of each, by device. */
    TreeMap<String, String> devicesOf(String user) {
        return directory.devicesOf(user);
    }

    /** An update from any node (this one's own included): watchers hear of a change of online state. */
    void apply(PeerMessage.DirectoryUpdate update) {
        if (directory.apply(update)) {
            presenceChanged(update.user());
        }
    }

    /** This node's own device arrived or left: applied here and told to every other live node. */
    void broadcast(PeerMessage.DirectoryUpdate update) {
        apply(update);
        for (String node : ctx.view.nodes()) {
            if (!node.equals(ctx.nodeId)) {
                ctx.emit(new ServerEffect.Route(node, update));
            }
        }
    }

    /** A node left the view: its devices are offline from now. */
    void nodeGone(String node) {
        for (String user : directory.dropNode(node, ctx.now)) {
            presenceChanged(user);
        }
    }

    /** Frames for the devices of {@code user}, but {@code exceptDevice} (may be null), wherever they are. */
    void toUserDevices(String user, String exceptDevice, Frame frame) {
        toUsersDevices(List.of(user), user, exceptDevice, frame);
    }

    /**
     * Frames for the devices of each of {@code users}, but device {@code exceptDevice} of
     * {@code exceptUser}, wherever they are: by directory lookup, one peer message for each node
     * that holds any of them (none for a node whose only device of theirs is the excepted one), or
     * by each user's topic.
     */
    void toUsersDevices(List<String> users, String exceptUser, String exceptDevice, Frame frame) {
        if (ctx.config.routing() == Routing.PUBSUB) {
            for (String user : users) {
                ctx.emit(new ServerEffect.Publish(NodeContext.userTopic(user),
                        new PeerMessage.ToUsers(List.of(user), exceptUser, exceptDevice, frame)));
            }
            return;
        }
        TreeMap<String, List<String>> usersByNode = new TreeMap<>();
        for (String user : users) {
            directory.addToNodesOf(user, user.equals(exceptUser) ? exceptDevice : null, usersByNode, users.size());
        }
        for (Map.Entry<String, List<String>> e : usersByNode.entrySet()) {
            ctx.route(e.getKey(), new PeerMessage.ToUsers(e.getValue(), exceptUser, exceptDevice, frame));
        }
    }

    /**
     * Presence is for the people one shares a chat with: the watched user's chats (from the store)
     * must meet the chats this session was welcomed with or joined since. With pinned ownership a
     * node's store lists only the chats homed on it, so the homes of the session's chats are asked.
     */
    void watchIfSharingAChat(Session s, String about) {
        if (about.equals(s.user)) {
            watch(s, about);
            return;
        }
        if (ctx.pinned()) {
            askHomesWhetherShared(s, about);
            return;
        }
        ctx.storeThen(new StoreOp.ChatsOf(about), result -> {
            if (!gateway.isOpen(s)) {
                return;
            }
            for (StoreResult.ChatHead head : ((StoreResult.Chats) result).heads()) {
                if (s.chats.contains(head.chat())) {
                    watch(s, about);
                    return;
                }
            }
            gateway.send(s, new Frame.Error(ErrorCode.FORBIDDEN, s.user + " shares no chat with " + about
                    + ": presence is only for people one shares a chat with"));
        }, failed -> {
            if (gateway.isOpen(s)) {
                gateway.send(s, new Frame.Error(ErrorCode.UNAVAILABLE, "the store failed; watch " + about + " again later"));
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
        Ownership.PinnedHome pinned = (Ownership.PinnedHome) ctx.config.ownership();
        PresenceCheck check = new PresenceCheck();
        for (String chat : s.chats) {
            String home = pinned.homeOf(chat);
            (ctx.view.contains(home) ? check.awaiting : check.down).add(home);
        }
        s.presenceChecks.put(about, check);
        for (String home : check.awaiting) {
            ctx.route(home, new PeerMessage.HomeChatsRequest(about, s.id, ctx.nodeId));
        }
        concludeWhetherShared(s, about, false);
    }

    /** A home answered which of the watched user's chats it holds. */
    void presenceCheckArrived(Session s, PeerMessage.HomeChats answer) {
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
                gateway.send(s, new Frame.Error(ErrorCode.FORBIDDEN, s.user + " shares no chat with " + about
                        + ": presence is only for people one shares a chat with"));
            } else {
                gateway.send(s, new Frame.Error(ErrorCode.UNAVAILABLE, "the home node of a chat of " + s.user
                        + " is down; watch " + about + " again later"));
            }
        }
    }

    /** Homes that died while asked whether two users share a chat answer no more: count them as down. */
    void presenceChecksLost(Session s) {
        for (String about : new ArrayList<>(s.presenceChecks.keySet())) {
            PresenceCheck check = s.presenceChecks.get(about);
            for (String home : new ArrayList<>(check.awaiting)) {
                if (!ctx.view.contains(home)) {
                    check.awaiting.remove(home);
                    check.down.add(home);
                }
            }
            concludeWhetherShared(s, about, false);
        }
    }

    /** Pinned ownership: the homes asked whether a session's user shares a chat with a user it watches. */
    static final class PresenceCheck {
        final TreeSet<String> awaiting = new TreeSet<>();
        final TreeSet<String> down = new TreeSet<>();
    }

    private void watch(Session s, String about) {
        s.watching.add(about);
        watchersOf.computeIfAbsent(about, u -> new TreeMap<>()).put(s.id, s);
        gateway.send(s, presenceOf(about));
    }

    /** A closed session watches no one any more. */
    void forget(Session s) {
        for (String about : s.watching) {
            TreeMap<Long, Session> watchers = watchersOf.get(about);
            if (watchers != null) {
                watchers.remove(s.id);
                if (watchers.isEmpty()) {
                    watchersOf.remove(about);
                }
            }
        }
    }

    private void presenceChanged(String user) {
        TreeMap<Long, Session> watchers = watchersOf.get(user);
        if (watchers == null) {
            return;
        }
        Frame notice = presenceOf(user);
        for (Session s : watchers.values()) {
            gateway.send(s, notice);
        }
    }

    private Frame.PresenceNotice presenceOf(String user) {
        boolean online = directory.isOnline(user);
        return new Frame.PresenceNotice(user, online ? PresenceState.ONLINE : PresenceState.OFFLINE,
                online ? -1 : directory.lastSeen(user));
    }
}
