package dev.chatlab.reference.cluster;

import dev.chatlab.core.server.PeerMessage;

/**
 * How a node reaches the others: direct sends to a node, and topics (publish/subscribe).
 * Implementations deliver in FIFO order per pair of nodes and call the inbox on the node's
 * event loop.
 *
 * <pre>{@code
 * PeerNetwork peers = new EventBusPeers(vertx);
 * peers.start("n1", (from, message) -> node.onPeer(from, message, now()));
 * peers.send("n2", message);
 * }</pre>
 */
public interface PeerNetwork {

    /** Receives what other nodes send. */
    interface Inbox {
        void onPeer(String from, PeerMessage message);
    }

    /** Starts receiving; the future completes once other nodes can reach this one. */
    io.vertx.core.Future<Void> start(String self, Inbox inbox);

    void send(String node, PeerMessage message);

    void publish(String topic, PeerMessage message);

    void subscribe(String topic);

    void unsubscribe(String topic);

    /** Messages refused or undeliverable so far (a count for the node's metrics). */
    long dropped();
}
