package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.InMemoryChatStore;
import dev.chatlab.core.strategy.Ownership;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A few {@link ChatServerNode}s with pinned ownership, each with a node-local store that answers at
 * once, peer messages delivered in order: enough to test what crosses homes, frame by frame.
 * Timers are not run.
 *
 * <pre>{@code
 * PinnedNodes c = new PinnedNodes("n1", "n2");
 * c.seedChat("c1", List.of("alice", "bob"));   // in its home's store
 * long alice = c.welcomed("n1", "alice");
 * }</pre>
 */
final class PinnedNodes {

    final Ownership.PinnedHome ownership;
    private final Map<String, ChatServerNode> nodes = new TreeMap<>();
    private final Map<String, InMemoryChatStore> stores = new TreeMap<>();
    private final Map<Long, List<Frame>> inbox = new TreeMap<>();
    private final Map<Long, String> nodeOf = new TreeMap<>();
    /** Every peer message that crossed, in order: {@code from -> to} and the message. */
    final List<Routed> routed = new ArrayList<>();
    private long now = 1_000;
    private long nextSession = 1;

    PinnedNodes(String... names) {
        ownership = (Ownership.PinnedHome) Ownership.pinnedHome(List.of(names));
        for (String name : names) {
            nodes.put(name, new ChatServerNode(name, nodes.size() + 1, ServerConfig.defaults().withOwnership(ownership)));
            stores.put(name, new InMemoryChatStore());
        }
        for (String name : names) {
            run(name, nodes.get(name).onClusterView(new ClusterView(1, List.of(names)), now));
        }
    }

    /** The first chat id of {@code prefix} followed by a number that is homed on {@code home}. */
    String chatHomedOn(String home, String prefix) {
        for (int i = 0; ; i++) {
            if (ownership.homeOf(prefix + i).equals(home)) {
                return prefix + i;
            }
        }
    }

    /** A chat in its home's store. */
    void seedChat(String chat, List<String> members) {
        stores.get(ownership.homeOf(chat)).seedChat(chat, members);
    }

    /** A session of the user's phone on a node, its welcome already taken. */
    long welcomed(String node, String user) {
        return welcomed(node, user, "phone");
    }

    /** A session of one of the user's devices on a node, its welcome already taken. */
    long welcomed(String node, String user, String device) {
        long session = nextSession++;
        inbox.put(session, new ArrayList<>());
        nodeOf.put(session, node);
        run(node, nodes.get(node).onFrame(session, new Frame.Hello(user, device, null), now += 1_000));
        assert take(session).stream().anyMatch(f -> f instanceof Frame.Welcome) : "no welcome";
        return session;
    }

    void frame(long session, Frame frame) {
        String node = nodeOf.get(session);
        run(node, nodes.get(node).onFrame(session, frame, now += 1_000));
    }

    List<Frame> take(long session) {
        List<Frame> frames = new ArrayList<>(inbox.get(session));
        inbox.get(session).clear();
        return frames;
    }

    private record Pending(String node, ServerEffect effect) {
    }

    record Routed(String from, String to, PeerMessage message) {
    }

    private void run(String node, List<ServerEffect> first) {
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        first.forEach(e -> pending.add(new Pending(node, e)));
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            ChatServerNode at = nodes.get(p.node());
            List<ServerEffect> next = List.of();
            if (p.effect() instanceof ServerEffect.SendFrame f) {
                List<Frame> box = inbox.get(f.session());
                if (box != null && p.node().equals(nodeOf.get(f.session()))) {
                    box.add(f.frame());
                }
            } else if (p.effect() instanceof ServerEffect.Store s) {
                next = at.onStored(s.requestId(), stores.get(p.node()).apply(s.op()), now += 1_000);
            } else if (p.effect() instanceof ServerEffect.Route r && nodes.containsKey(r.node())) {
                String to = r.node();
                routed.add(new Routed(p.node(), to, r.message()));
                nodes.get(to).onPeer(p.node(), r.message(), now += 1_000).forEach(e -> pending.add(new Pending(to, e)));
            }
            String from = p.node();
            next.forEach(e -> pending.add(new Pending(from, e)));
        }
    }
}
