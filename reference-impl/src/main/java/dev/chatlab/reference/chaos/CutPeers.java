package dev.chatlab.reference.chaos;

import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.reference.cluster.PeerNetwork;
import io.vertx.core.Future;

/**
 * A node's peer network with links cut as {@link NodeChaos} says: a message to a node in
 * {@code drop_to} is not sent, a message from a node in {@code drop_from} (sent directly or
 * published on a topic) is dropped on arrival, messages in flight included. Hazelcast membership
 * does not go through here, so every node still sees every other as a member: a cut link is a gray
 * failure (members that cannot talk), not a membership split.
 *
 * <pre>{@code
 * PeerNetwork peers = new CutPeers(new EventBusPeers(vertx), chaos);
 * }</pre>
 */
public final class CutPeers implements PeerNetwork {

    private final PeerNetwork inner;
    private final NodeChaos chaos;
    private volatile long dropped;

    public CutPeers(PeerNetwork inner, NodeChaos chaos) {
        this.inner = inner;
        this.chaos = chaos;
    }

    @Override
    public Future<Void> start(String self, Inbox inbox) {
        return inner.start(self, (from, message) -> {
            if (chaos.dropsFrom(from)) {
                drop();
            } else {
                inbox.onPeer(from, message);
            }
        });
    }

    @Override
    public void send(String node, PeerMessage message) {
        if (chaos.dropsTo(node)) {
            drop();
        } else {
            inner.send(node, message);
        }
    }

    /** Receivers drop what comes from a cut sender; the sender cannot tell who subscribed. */
    @Override
    public void publish(String topic, PeerMessage message) {
        inner.publish(topic, message);
    }

    @Override
    public void subscribe(String topic) {
        inner.subscribe(topic);
    }

    @Override
    public void unsubscribe(String topic) {
        inner.unsubscribe(topic);
    }

    @Override
    public long dropped() {
        return inner.dropped() + dropped;
    }

    private void drop() {
        // Sends and arrivals both run on the node's event loop: one writer.
        dropped++;
        chaos.countPeerDropped();
    }
}
