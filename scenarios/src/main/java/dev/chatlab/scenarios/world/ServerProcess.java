package dev.chatlab.scenarios.world;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.server.ChatServerNode;
import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.core.server.ServerEffect;
import dev.chatlab.sim.node.NodeContext;
import dev.chatlab.sim.node.NodeProcess;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One incarnation of a chat node: a thin host for chat-core's {@link ChatServerNode}. It passes
 * true virtual time in (history timestamps are true time) and the node's clock error through
 * {@link ChatServerNode#setClockOffsetMicros}, and turns every effect into a network message, a
 * timer, a store request, a push or a history event. Its fields die with it when the node crashes.
 *
 * <p>When the world's nodes have costs, every arrival first queues on the node's cores
 * ({@link NodeWork}) and takes effect when its work completes; a connection attempt beyond the
 * accept backlog is refused at once. Without costs, arrivals take effect as they arrive.
 */
final class ServerProcess implements NodeProcess {

    private final ChatWorld world;
    private final int id;
    private final String name;
    private ChatServerNode node;
    private NodeContext ctx;
    /** Open connections: session id to the device's network id. Sorted, so a mass disconnect is replayable. */
    private final TreeMap<Long, Integer> sessions = new TreeMap<>();
    /** Connection attempts queued for their set-up: session id to the device's network id. */
    private final TreeMap<Long, Integer> opening = new TreeMap<>();
    private NodeWork work;

    ServerProcess(ChatWorld world, int id, String name) {
        this.world = world;
        this.id = id;
        this.name = name;
    }

    @Override
    public void onStart(NodeContext context) {
        this.ctx = context;
        this.node = new ChatServerNode(name, id + 1L, world.config().server());
        this.work = world.nodeWork(id);
    }

    /** True time for the protocol; the node's own clock error for its clock-based ids. */
    private long now() {
        node.setClockOffsetMicros(ctx.clock().offsetMicros());
        return ctx.trueNowMicros();
    }

    @Override
    public void onMessage(int from, Object message, NodeContext context) {
        if (work == null) {
            handle(from, message);
            return;
        }
        long now = ctx.trueNowMicros();
        long at;
        if (message instanceof Wire.Open open) {
            at = work.connect(now, open.session());
            if (at < 0) {
                world.count("node.connect-refused-backlog");
                ctx.send(from, new Wire.Closed(open.session(), "connection refused: accept backlog of " + name + " full"));
                return;
            }
            opening.put(open.session(), from);
        } else if (message instanceof Wire.ToServer f) {
            at = work.frame(now, f.session(), f.frame());
        } else if (message instanceof Wire.Close c) {
            at = work.close(now, c.session());
        } else if (message instanceof Wire.Peer p) {
            at = work.peer(now, from, p.message());
        } else if (message instanceof Wire.StoreReply) {
            at = work.storeReply(now);
        } else {
            return;
        }
        ctx.setTimerAfter(at - now, new Wire.Work(from, message));
    }

    /** The effects of a message, now that the node has done its work on it. */
    private void handle(int from, Object message) {
        if (message instanceof Wire.Open open) {
            opening.remove(open.session());
            sessions.put(open.session(), from);
            ctx.send(from, new Wire.Accepted(open.session()));
        } else if (message instanceof Wire.ToServer f) {
            if (sessions.containsKey(f.session())) {
                apply(node.onFrame(f.session(), f.frame(), now()));
            }
        } else if (message instanceof Wire.Close c) {
            if (sessions.remove(c.session()) != null) {
                apply(node.onSessionClosed(c.session(), now()));
            }
        } else if (message instanceof Wire.Peer p) {
            world.count("peer.messages");
            if (p.message() instanceof PeerMessage.DirectoryUpdate u && u.online()) {
                // A session's announcement (and its acknowledgement): what a reconnection costs the other nodes.
                world.count("peer.directory-announcements");
            } else if (p.message() instanceof PeerMessage.DirectoryAck) {
                world.count("peer.directory-acks");
            }
            apply(node.onPeer(world.nodeName(from), p.message(), now()));
        } else if (message instanceof Wire.StoreReply r) {
            if (r.incarnation() == ctx.incarnation()) {
                apply(node.onStored(r.requestId(), r.result(), now()));
            }
        }
    }

    @Override
    public void onTimer(Object timer, NodeContext context) {
        if (timer instanceof Wire.ServerTimer t) {
            apply(node.onTimer(t.name(), now()));
        } else if (timer instanceof Wire.Work w) {
            handle(w.from(), w.message());
        }
    }

    void view(ClusterView view) {
        apply(node.onClusterView(view, now()));
    }

    /**
     * The connections this node holds, and those still queued for their set-up, as the kernel
     * would reset them when the process dies.
     */
    Map<Long, Integer> connections() {
        TreeMap<Long, Integer> all = new TreeMap<>(sessions);
        all.putAll(opening);
        return all;
    }

    /** Drops every connection at once, both ends told: the node's side through the protocol, the device's by a reset. */
    int dropAll(String reason) {
        int n = 0;
        for (Map.Entry<Long, Integer> e : new TreeMap<>(sessions).entrySet()) {
            sessions.remove(e.getKey());
            ctx.send(e.getValue(), new Wire.Closed(e.getKey(), reason));
            apply(node.onSessionClosed(e.getKey(), now()));
            n++;
        }
        return n;
    }

    private void apply(List<ServerEffect> effects) {
        for (ServerEffect effect : effects) {
            if (effect instanceof ServerEffect.SendFrame f) {
                Integer device = sessions.get(f.session());
                if (device != null) {
                    ctx.send(device, new Wire.ToDevice(f.session(), f.frame()));
                }
            } else if (effect instanceof ServerEffect.CloseSession c) {
                Integer device = sessions.remove(c.session());
                if (device != null) {
                    ctx.send(device, new Wire.Closed(c.session(), c.reason()));
                }
            } else if (effect instanceof ServerEffect.Route r) {
                int to = world.nodeId(r.node());
                if (to >= 0) {
                    ctx.send(to, new Wire.Peer(r.message()));
                }
            } else if (effect instanceof ServerEffect.Publish p) {
                for (int to : world.subscribers(p.topic())) {
                    ctx.send(to, new Wire.Peer(p.message()));
                }
            } else if (effect instanceof ServerEffect.Subscribe s) {
                world.subscribe(s.topic(), id);
            } else if (effect instanceof ServerEffect.Unsubscribe u) {
                world.unsubscribe(u.topic(), id);
            } else if (effect instanceof ServerEffect.Store s) {
                world.count("store.requests");
                ctx.send(world.storeIdOf(id), new Wire.StoreRequest(ctx.incarnation(), s.requestId(), s.op()));
            } else if (effect instanceof ServerEffect.Push) {
                world.count("push.offline");
            } else if (effect instanceof ServerEffect.SetTimer t) {
                // Relative delays run on the node's own clock (drift stretches them); skew does not move them.
                ctx.setTimerAfter(Math.max(0, t.atMicros() - ctx.trueNowMicros()), new Wire.ServerTimer(t.timer()));
            } else if (effect instanceof ServerEffect.Record r) {
                world.record(r.event());
            }
        }
    }
}
