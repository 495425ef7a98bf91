package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.InMemoryChatStore;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One {@link ChatServerNode} alone in its cluster, with the in-memory store answering at once:
 * enough to test what the protocol allows a session to do, frame by frame.
 *
 * <pre>{@code
 * OneNode n = new OneNode();
 * long alice = n.hello("alice", "phone");
 * n.frame(alice, new Frame.Send("c1", "m1", "hi"));
 * List<Frame> got = n.take(alice);
 * }</pre>
 */
final class OneNode {

    final InMemoryChatStore store = new InMemoryChatStore();
    final ChatServerNode node;
    /** An answer in place of the store's, or null to let the store apply the operation (tests inject failures). */
    Function<StoreOp, StoreResult> storeFault = op -> null;
    /** Store operations that never get an answer, as with a store that hangs (tests). */
    java.util.function.Predicate<StoreOp> storeHangs = op -> false;
    /** Store operations held back until {@link #releaseHeld} (a slow store, tests). */
    java.util.function.Predicate<StoreOp> storeHolds = op -> false;
    /** Every operation the node asked of the store, in order. */
    final List<StoreOp> storeOps = new ArrayList<>();
    private final List<ServerEffect.Store> held = new ArrayList<>();
    private final TreeMap<Long, List<String>> timers = new TreeMap<>();
    private final Map<Long, List<Frame>> inbox = new TreeMap<>();
    final List<Long> closed = new ArrayList<>();
    final List<String> closeReasons = new ArrayList<>();
    private long now = 1_000;
    private long nextSession = 1;

    OneNode() {
        this(ServerConfig.defaults());
    }

    OneNode(ServerConfig config) {
        node = new ChatServerNode("n1", 1, config);
        run(node.onClusterView(new ClusterView(1, List.of("n1")), now));
    }

    long hello(String user, String device) {
        long session = nextSession++;
        inbox.put(session, new ArrayList<>());
        run(node.onFrame(session, new Frame.Hello(user, device, null), tick()));
        return session;
    }

    /** A session of the user's phone, its welcome already taken. */
    long welcomed(String user) {
        long session = hello(user, "phone");
        take(session);
        return session;
    }

    void frame(long session, Frame frame) {
        run(node.onFrame(session, frame, tick()));
    }

    /** The frames a session received since the last take, the welcome included. */
    List<Frame> take(long session) {
        List<Frame> frames = new ArrayList<>(inbox.get(session));
        inbox.get(session).clear();
        return frames;
    }

    /** Lets virtual time pass, firing the node's timers that fall due. */
    void advance(long micros) {
        long until = now + micros;
        while (!timers.isEmpty() && timers.firstKey() <= until) {
            var due = timers.pollFirstEntry();
            now = Math.max(now, due.getKey());
            for (String timer : due.getValue()) {
                run(node.onTimer(timer, now));
            }
        }
        now = until;
    }

    private long tick() {
        return now += 1_000;
    }

    private void run(List<ServerEffect> first) {
        ArrayDeque<ServerEffect> pending = new ArrayDeque<>(first);
        while (!pending.isEmpty()) {
            ServerEffect effect = pending.poll();
            if (effect instanceof ServerEffect.SendFrame f) {
                List<Frame> box = inbox.get(f.session());
                if (box != null && !closed.contains(f.session())) {
                    box.add(f.frame());
                }
            } else if (effect instanceof ServerEffect.CloseSession c) {
                closed.add(c.session());
                closeReasons.add(c.reason());
            } else if (effect instanceof ServerEffect.SetTimer t) {
                timers.computeIfAbsent(t.atMicros(), k -> new ArrayList<>()).add(t.timer());
            } else if (effect instanceof ServerEffect.Store s) {
                storeOps.add(s.op());
                if (storeHangs.test(s.op())) {
                    continue;
                }
                if (storeHolds.test(s.op())) {
                    held.add(s);
                    continue;
                }
                StoreResult result = apply(s.op());
                pending.addAll(node.onStored(s.requestId(), result, tick()));
            } else if (effect instanceof ServerEffect.Route r && r.node().equals("n1")) {
                pending.addAll(node.onPeer("n1", r.message(), tick()));
            }
        }
    }

    /** Lets the store answer every operation it held back, oldest first. */
    void releaseHeld() {
        storeHolds = op -> false;
        List<ServerEffect.Store> now = new ArrayList<>(held);
        held.clear();
        for (ServerEffect.Store s : now) {
            run(node.onStored(s.requestId(), apply(s.op()), tick()));
        }
    }

    private StoreResult apply(StoreOp op) {
        StoreResult fault = storeFault.apply(op);
        return fault != null ? fault : store.apply(op);
    }
}
