package dev.chatlab.reference.cluster;

import dev.chatlab.core.server.PeerMessage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.Map;

/**
 * Peers over the Vert.x event bus: clustered (Hazelcast) across processes, or local in one JVM.
 * Node {@code n} consumes {@code chatlab.node.n}; a topic {@code t} is the address
 * {@code chatlab.topic.t}, consumed by every node that subscribed. Bodies are {@link PeerCodec}
 * buffers (a type the event bus carries as it is), so no custom event-bus codec needs registering.
 *
 * <pre>{@code
 * Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered().await();
 * PeerNetwork peers = new EventBusPeers(vertx);
 * }</pre>
 */
public final class EventBusPeers implements PeerNetwork {

    public static final String NODE_PREFIX = "chatlab.node.";
    public static final String TOPIC_PREFIX = "chatlab.topic.";
    /** A request to a node's address that only checks it can be reached; answered with "pong". */
    public static final String PROBE = "probe";

    private final Vertx vertx;
    private final PeerCodec codec = new PeerCodec();
    private final Map<String, MessageConsumer<Object>> topics = new HashMap<>();
    private String self;
    private Inbox inbox;
    private long dropped;
    private final boolean trace = Boolean.getBoolean("chatlab.trace.peers");

    public EventBusPeers(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public io.vertx.core.Future<Void> start(String selfNode, Inbox target) {
        this.self = selfNode;
        this.inbox = target;
        // Resolves once the registration is in the cluster's subscription map; before that, sends
        // to this node from elsewhere are dropped, which is why membership waits for it.
        return vertx.eventBus().<Object>consumer(NODE_PREFIX + selfNode, m -> {
            if (PROBE.equals(m.body())) {
                m.reply("pong");
            } else {
                receive(m.body());
            }
        }).completion();
    }

    private void receive(Object body) {
        PeerCodec.Envelope envelope;
        try {
            if (!(body instanceof Buffer bytes)) {
                throw new IllegalArgumentException("not a buffer: " + body);
            }
            envelope = codec.decode(bytes);
        } catch (IllegalArgumentException e) {
            dropped++;
            return;
        }
        if (trace) {
            System.out.println("peer< " + envelope);
        }
        inbox.onPeer(envelope.from(), envelope.message());
    }

    @Override
    public void send(String node, PeerMessage message) {
        if (trace) {
            System.out.println("peer> " + node + " " + message);
        }
        vertx.eventBus().send(NODE_PREFIX + node, codec.encode(self, message));
    }

    @Override
    public void publish(String topic, PeerMessage message) {
        vertx.eventBus().publish(TOPIC_PREFIX + topic, codec.encode(self, message));
    }

    @Override
    public void subscribe(String topic) {
        if (!topics.containsKey(topic)) {
            topics.put(topic, vertx.eventBus().<Object>consumer(TOPIC_PREFIX + topic, m -> receive(m.body())));
        }
    }

    @Override
    public void unsubscribe(String topic) {
        MessageConsumer<Object> consumer = topics.remove(topic);
        if (consumer != null) {
            consumer.unregister();
        }
    }

    @Override
    public long dropped() {
        return dropped;
    }
}
