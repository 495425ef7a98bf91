package dev.chatlab.reference.cluster;

import dev.chatlab.core.server.PeerMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.parsetools.RecordParser;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers over direct TCP links: node {@code n} listens on its own peer port and keeps one
 * connection to each node it sends to, opened on first use and opened again after it closes; the
 * address book ({@code n1=127.0.0.1:4101,n2=...}) is fixed when the cluster is planned. Frames are
 * a 4-byte length, a kind byte and the {@link PeerCodec} bytes. Topics (the pub/sub routing
 * strategy) still go through {@code topics}, the clustered event bus.
 *
 * <p>Why not the event bus for sends too: after a Hazelcast split heals, a node's event bus could
 * stop delivering to one peer for the rest of a run (its sends vanished without an error while
 * membership listed every node), and the owner's catch-up went down the same dead path. A TCP link
 * is owned by the two nodes alone: it is open and carries messages, or it closes and is opened again.
 * {@link #probe} (a ping answered on the same connection) tells a silent link from a live one; a
 * link that does not answer in time is closed, so the next send opens a fresh one.
 *
 * <pre>{@code
 * PeerNetwork peers = new TcpPeers(vertx, 4101, TcpPeers.parseAddresses("n1=127.0.0.1:4101,n2=127.0.0.1:4102"), new EventBusPeers(vertx));
 * peers.start("n1", (from, message) -> node.onPeer(from, message, now()));
 * }</pre>
 */
public final class TcpPeers implements PeerNetwork {

    static final byte MESSAGE = 0;
    static final byte PING = 1;
    static final byte PONG = 2;
    /** Messages held for a link that is still connecting; more are dropped (counted), as a congested network would. */
    static final int PENDING_MAX = 100_000;

    private final Vertx vertx;
    private final int port;
    private final Map<String, SocketAddress> addresses;
    private final PeerNetwork topics;
    private final PeerCodec codec = new PeerCodec();
    private final Map<String, Link> links = new HashMap<>();
    /** Links with messages queued in this turn of the event loop, in the order they were first used. */
    private final List<Link> corked = new ArrayList<>();
    private NetClient client;
    private io.vertx.core.Context context;
    private String self;
    private Inbox inbox;
    private long dropped;
    private long writes;
    private long nextPing;

    public TcpPeers(Vertx vertx, int port, Map<String, SocketAddress> addresses, PeerNetwork topics) {
        this.vertx = vertx;
        this.port = port;
        this.addresses = Map.copyOf(addresses);
        this.topics = topics;
    }

    /** {@code n1=host:port,n2=host:port} as an address book; throws on a malformed entry, naming it. */
    public static Map<String, SocketAddress> parseAddresses(String text) {
        Map<String, SocketAddress> out = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("--peers entry '" + entry + "' is not NAME=HOST:PORT");
            }
            int p;
            try {
                p = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--peers entry '" + entry + "' has no port number");
            }
            out.put(entry.substring(0, eq), SocketAddress.inetSocketAddress(p, entry.substring(eq + 1, colon)));
        }
        return out;
    }

    @Override
    public Future<Void> start(String selfNode, Inbox target) {
        this.self = selfNode;
        this.inbox = target;
        this.context = vertx.getOrCreateContext();
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2_000));
        NetServer server = vertx.createNetServer().connectHandler(this::accepted);
        return server.listen(port).compose(s -> topics.start(selfNode, target));
    }

    /** An inbound link: messages go to the inbox, pings are answered on the same connection. */
    private void accepted(NetSocket socket) {
        socket.handler(frames(frame -> {
            byte kind = frame.getByte(0);
            if (kind == MESSAGE) {
                PeerCodec.Envelope envelope;
                try {
                    envelope = codec.decode(frame.slice(1, frame.length()));
                } catch (IllegalArgumentException e) {
                    dropped++;
                    return;
                }
                inbox.onPeer(envelope.from(), envelope.message());
            } else if (kind == PING) {
                socket.write(control(PONG, frame.getLong(1)));
            }
        }));
        socket.exceptionHandler(e -> socket.close());
    }

    /**
     * Queues {@code message} on the link to {@code node}; what is queued goes out in one write when
     * the event loop has handled what it read in this turn. A message fanned out to several devices
     * of one node, and every answer to a burst of inputs, so costs the two nodes one system call and
     * one wake-up rather than one a message (sends come from the node's event loop, as effects).
     */
    @Override
    public void send(String node, PeerMessage message) {
        Link link = link(node);
        if (link.outgoing == null) {
            link.outgoing = Buffer.buffer(512);
            link.outgoingFrames = 0;
            corked.add(link);
            if (corked.size() == 1) {
                context.runOnContext(v -> flushCorked());
            }
        }
        // The record is written after a header whose length is filled in last: no copy.
        Buffer out = link.outgoing;
        int start = out.length();
        codec.encodeInto(out.appendInt(0).appendByte(MESSAGE), self, message);
        out.setInt(start, out.length() - start - 4);
        link.outgoingFrames++;
    }

    private void flushCorked() {
        for (Link link : corked) {
            writes++;
            Buffer out = link.outgoing;
            link.outgoing = null;
            link.write(out, link.outgoingFrames);
        }
        corked.clear();
    }

    /**
     * Pings {@code node} over the link (opening it if needed); fails if no pong comes within
     * {@code timeoutMillis}, and then closes the link so that the next send opens a fresh one.
     */
    public Future<Void> probe(String node, long timeoutMillis) {
        Promise<Void> result = Promise.promise();
        context.runOnContext(v -> probeHere(node, timeoutMillis).onComplete(result));
        return result.future();
    }

    private Future<Void> probeHere(String node, long timeoutMillis) {
        Link link = link(node);
        long id = ++nextPing;
        Promise<Void> pong = Promise.promise();
        link.pings.put(id, pong);
        link.write(control(PING, id), 0);
        long timer = vertx.setTimer(timeoutMillis, t -> {
            if (link.pings.remove(id) != null) {
                pong.tryFail("no pong from " + node + " within " + timeoutMillis + " ms");
                link.reset();
            }
        });
        return pong.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private Link link(String node) {
        return links.computeIfAbsent(node, Link::new);
    }

    @Override
    public void publish(String topic, PeerMessage message) {
        topics.publish(topic, message);
    }

    @Override
    public void subscribe(String topic) {
        topics.subscribe(topic);
    }

    @Override
    public void unsubscribe(String topic) {
        topics.unsubscribe(topic);
    }

    @Override
    public long dropped() {
        return dropped + topics.dropped();
    }

    /** Writes of queued messages to links so far (each holds every message one turn of the event loop sent a peer). */
    public long writes() {
        return writes;
    }

    private static Buffer control(byte kind, long id) {
        return Buffer.buffer(13).appendInt(9).appendByte(kind).appendLong(id);
    }

    /** A parser of length-prefixed frames, each handed on without its length. */
    private static RecordParser frames(io.vertx.core.Handler<Buffer> onFrame) {
        RecordParser parser = RecordParser.newFixed(4);
        parser.handler(new io.vertx.core.Handler<>() {
            boolean header = true;

            @Override
            public void handle(Buffer chunk) {
                if (header) {
                    int length = chunk.getInt(0);
                    if (length <= 0) {
                        throw new IllegalArgumentException("peer frame of length " + length);
                    }
                    parser.fixedSizeMode(length);
                    header = false;
                } else {
                    onFrame.handle(chunk);
                    parser.fixedSizeMode(4);
                    header = true;
                }
            }
        });
        return parser;
    }

    /** This node's outbound connection to one peer; all of it runs on the node's event loop. */
    private final class Link {
        final String node;
        final Map<Long, Promise<Void>> pings = new HashMap<>();
        NetSocket socket;
        boolean connecting;
        ArrayDeque<Buffer> pending = new ArrayDeque<>();
        /** Messages held in {@link #pending} (a buffer may hold several). */
        int pendingFrames;
        /** Messages sent in this turn of the event loop, not written yet, and how many. */
        Buffer outgoing;
        int outgoingFrames;

        Link(String node) {
            this.node = node;
        }

        void write(Buffer frames, int count) {
            if (socket != null) {
                socket.write(frames);
                return;
            }
            if (pendingFrames + count > PENDING_MAX) {
                dropped += count;
            } else {
                pending.add(frames);
                pendingFrames += count;
            }
            connect();
        }

        void connect() {
            SocketAddress address = addresses.get(node);
            if (connecting) {
                return;
            }
            if (address == null) {
                dropPending();
                return;
            }
            connecting = true;
            client.connect(address).onComplete(ar -> {
                connecting = false;
                if (ar.failed()) {
                    // The peer is down or not listening yet: what waited is lost, as on a cut link.
                    dropPending();
                    failPings("cannot connect to " + node + ": " + ar.cause().getMessage());
                    return;
                }
                NetSocket s = ar.result();
                socket = s;
                s.handler(frames(frame -> {
                    if (frame.getByte(0) == PONG) {
                        Promise<Void> pong = pings.remove(frame.getLong(1));
                        if (pong != null) {
                            pong.tryComplete();
                        }
                    }
                }));
                s.closeHandler(v -> {
                    if (socket == s) {
                        socket = null;
                        failPings("the link to " + node + " closed");
                    }
                });
                s.exceptionHandler(e -> s.close());
                Buffer frames;
                while ((frames = pending.poll()) != null) {
                    s.write(frames);
                }
                pendingFrames = 0;
            });
        }

        void dropPending() {
            dropped += pendingFrames;
            pending.clear();
            pendingFrames = 0;
        }

        /** Drops the connection (it did not answer a ping): the next write opens another. */
        void reset() {
            NetSocket s = socket;
            socket = null;
            if (s != null) {
                s.close();
            }
        }

        void failPings(String why) {
            for (Promise<Void> p : pings.values()) {
                p.tryFail(why);
            }
            pings.clear();
        }
    }
}
