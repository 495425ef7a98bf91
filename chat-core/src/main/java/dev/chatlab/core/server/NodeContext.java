package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The plumbing every role of a {@link ChatServerNode} shares: who the node is, its settings, the
 * live view, the time of the input being handled, and the effects produced for it so far, in the
 * order the roles produced them (a host carries them out in that order, and the simulator's
 * digests depend on it).
 */
final class NodeContext {

    final String nodeId;
    final ServerConfig config;
    ClusterView view = new ClusterView(0, List.of());
    long now;

    private List<ServerEffect> out = new ArrayList<>();
    private final Map<Long, Consumer<StoreResult>> storeCallbacks = new HashMap<>();
    private long nextRequestId = 1;
    private boolean catchUpArmed;
    /** Handles a message routed to this very node, without a trip through the host. */
    private Consumer<PeerMessage> local;
    /** What a store failure means when the caller has no answer of its own: the chat owner lets the chat go. */
    private BiConsumer<StoreOp, StoreResult.Failed> storeGaveUp;

    NodeContext(String nodeId, ServerConfig config) {
        this.nodeId = nodeId;
        this.config = config;
    }

    void wire(Consumer<PeerMessage> local, BiConsumer<StoreOp, StoreResult.Failed> storeGaveUp) {
        this.local = local;
        this.storeGaveUp = storeGaveUp;
    }

    void begin(long nowMicros) {
        now = nowMicros;
        out = new ArrayList<>();
    }

    List<ServerEffect> end() {
        List<ServerEffect> result = out;
        out = new ArrayList<>();
        return result;
    }

    void emit(ServerEffect effect) {
        out.add(effect);
    }

    void record(HistoryEvent event) {
        emit(new ServerEffect.Record(event));
    }

    void route(String node, PeerMessage message) {
        if (node.equals(nodeId)) {
            local.accept(message);
        } else {
            emit(new ServerEffect.Route(node, message));
        }
    }

    void deviceFrame(String node, String user, String device, Frame frame) {
        route(node, new PeerMessage.ToDevice(user, device, frame));
    }

    /** The node that serves {@code chat} now, by the configured ownership; null if none may. */
    String ownerOf(String chat) {
        return config.ownership().ownerOf(chat, view);
    }

    boolean pinned() {
        return config.ownership().pinned();
    }

    void storeThen(StoreOp op, Consumer<StoreResult> then) {
        storeThen(op, then, failed -> storeGaveUp.accept(op, failed));
    }

    /** As {@link #storeThen(StoreOp, Consumer)}, with an answer of its own when the store gives up. */
    void storeThen(StoreOp op, Consumer<StoreResult> then, Consumer<StoreResult.Failed> gaveUp) {
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

    /** The store answered request {@code requestId}: whoever asked goes on. */
    void stored(long requestId, StoreResult result) {
        var callback = storeCallbacks.remove(requestId);
        if (callback != null) {
            callback.accept(result);
        }
    }

    /** One timer serves both the owner's catch-up and the gateway's unwelcomed sessions. */
    void armCatchUp() {
        if (!catchUpArmed) {
            catchUpArmed = true;
            emit(new ServerEffect.SetTimer(ChatServerNode.CATCH_UP_TIMER, now + ChatServerNode.CATCH_UP_MICROS));
        }
    }

    void catchUpFired() {
        catchUpArmed = false;
    }

    static String userTopic(String user) {
        return "user:" + user;
    }
}
