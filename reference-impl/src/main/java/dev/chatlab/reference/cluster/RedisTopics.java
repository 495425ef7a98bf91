package dev.chatlab.reference.cluster;

import dev.chatlab.core.server.PeerMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Topics (publish/subscribe) over Redis pub/sub instead of the clustered event bus: a topic
 * {@code t} is the channel {@code PREFIX:topic:t}; every node that subscribed gets each publish
 * (the publisher too, as on the event bus). It carries topics only: {@link TcpPeers} sends to a
 * node over its own link and hands topics here. One connection of its own subscribes; when it is
 * lost (Redis restarted) it is opened again and every topic subscribed again; what was published
 * in between is lost, as pub/sub promises nothing more.
 *
 * <pre>{@code
 * PeerNetwork peers = new TcpPeers(vertx, 4101, addresses, new RedisTopics(vertx, redis, "chatlab-1a2b"));
 * }</pre>
 */
public final class RedisTopics implements PeerNetwork {

    static final long RECONNECT_MILLIS = 500;

    private final Vertx vertx;
    private final Redis redis;
    private final String prefix;
    private final PeerCodec codec = new PeerCodec();
    private final Set<String> topics = new LinkedHashSet<>();
    private RedisConnection subscriber;
    private String self;
    private Inbox inbox;
    private long dropped;

    public RedisTopics(Vertx vertx, Redis redis, String clusterName) {
        this.vertx = vertx;
        this.redis = redis;
        this.prefix = "chatlab:" + clusterName + ":topic:";
    }

    @Override
    public Future<Void> start(String selfNode, Inbox target) {
        this.self = selfNode;
        this.inbox = target;
        return connect();
    }

    private Future<Void> connect() {
        return redis.connect().map(connection -> {
            connection.handler(this::onPush);
            connection.exceptionHandler(e -> lost(connection));
            connection.endHandler(v -> lost(connection));
            synchronized (this) {
                subscriber = connection;
                topics.forEach(topic -> connection.send(Request.cmd(Command.SUBSCRIBE).arg(prefix + topic)));
            }
            return null;
        });
    }

    private synchronized void lost(RedisConnection connection) {
        if (subscriber != connection) {
            return;
        }
        subscriber = null;
        vertx.setTimer(RECONNECT_MILLIS, t -> connect().onFailure(e -> lost(null)));
    }

    /** A message on a subscribed channel: [message, channel, payload]; confirmations and the rest are not peers' messages. */
    private void onPush(Response push) {
        if (push == null || push.size() != 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        PeerCodec.Envelope envelope;
        try {
            Buffer bytes = push.get(2).toBuffer();
            envelope = codec.decode(bytes);
        } catch (RuntimeException e) {
            dropped++;
            return;
        }
        inbox.onPeer(envelope.from(), envelope.message());
    }

    @Override
    public void send(String node, PeerMessage message) {
        throw new UnsupportedOperationException("RedisTopics carries topics only; node " + node + " is reached over TcpPeers");
    }

    @Override
    public void publish(String topic, PeerMessage message) {
        redis.send(Request.cmd(Command.PUBLISH).arg(prefix + topic).arg(codec.encode(self, message)))
                .onFailure(e -> dropped++);
    }

    @Override
    public synchronized void subscribe(String topic) {
        if (topics.add(topic) && subscriber != null) {
            subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(prefix + topic));
        }
    }

    @Override
    public synchronized void unsubscribe(String topic) {
        if (topics.remove(topic) && subscriber != null) {
            subscriber.send(Request.cmd(Command.UNSUBSCRIBE).arg(prefix + topic));
        }
    }

    @Override
    public long dropped() {
        return dropped;
    }
}
