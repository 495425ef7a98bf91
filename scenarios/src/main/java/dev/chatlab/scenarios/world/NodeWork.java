package dev.chatlab.scenarios.world;

import dev.chatlab.scenarios.model.ModelFile;
import dev.chatlab.scenarios.model.NodeCosts;
import dev.chatlab.sim.random.RandomStream;

import java.util.HashMap;
import java.util.Map;

/**
 * The work one incarnation of a chat node has queued on its cores: a {@link WorkQueue} with the
 * service times of {@link NodeCosts}, drawn from the node's own seeded stream. It answers when
 * each arrival's effects happen. With several cores, work of one stream (a device's session, a
 * peer, the store's replies) still takes effect in arrival order, as one connection's frames do
 * on the real node's event loop; work of different streams may overtake each other.
 */
final class NodeWork {

    /** The stream of the store's replies; sessions are positive, peers below this. */
    private static final long STORE_STREAM = 0;

    private final NodeCosts costs;
    private final RandomStream random;
    private final WorkQueue queue;
    /** When the last admitted work of each stream takes effect. */
    private final Map<Long, Long> lastEffect = new HashMap<>();

    NodeWork(NodeCosts costs, RandomStream random, WorkStats stats) {
        this.costs = costs;
        this.random = random;
        this.queue = new WorkQueue(costs.cores(), costs.acceptBacklog(), stats);
    }

    /** A connection set-up (handshake, token check): when it is accepted, or -1 if the backlog refused it. */
    long connect(long now, long session) {
        long done = queue.admitConnect(now, costs.connect().sampleMicros(random));
        return done < 0 ? -1 : ordered(session, done);
    }

    long frame(long now, long session, Object frame) {
        return ordered(session, queue.admit(now, costs.frame(ModelFile.kindOf(frame.getClass())).sampleMicros(random)));
    }

    long peer(long now, int fromNode, Object message) {
        return ordered(-1L - fromNode, queue.admit(now, costs.peer(ModelFile.kindOf(message.getClass())).sampleMicros(random)));
    }

    /** A session's close costs nothing but waits for the work queued before it; the session's stream ends. */
    long close(long now, long session) {
        long at = ordered(session, queue.admit(now, 0));
        lastEffect.remove(session);
        return at;
    }

    /** A store reply: no cost of its own (the store's time is the store's), but it waits its turn on the cores. */
    long storeReply(long now) {
        return ordered(STORE_STREAM, queue.admit(now, 0));
    }

    private long ordered(long stream, long done) {
        long at = Math.max(done, lastEffect.getOrDefault(stream, 0L));
        lastEffect.put(stream, at);
        return at;
    }
}
