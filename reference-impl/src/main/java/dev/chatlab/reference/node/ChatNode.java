package dev.chatlab.reference.node;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.core.server.ChatServerNode;
import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.core.server.ServerEffect;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.chaos.NodeChaos;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.reference.cluster.PeerNetwork;
import dev.chatlab.stores.ChatStore;
import dev.chatlab.stores.PostgresChatStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A chat node: a Vert.x verticle that hosts chat-core's {@link ChatServerNode} and carries out its
 * effects. All calls into the state machine happen on this verticle's event loop; sockets,
 * timers, store completions, peer messages and membership changes are all brought back to it.
 *
 * <pre>{@code
 * ChatNode node = new ChatNode(settings, store, peers, Membership.fixed(List.of("n1")), HistorySink.discard(), registry);
 * vertx.deployVerticle(node).await();
 * int port = node.port();     // ws://127.0.0.1:port/ws, GET /health, GET /metrics, GET|POST /pushes
 * }</pre>
 *
 * <p>The gateway's rules, before a frame reaches the protocol: a frame longer than
 * {@link NodeSettings#frameCharsMax()} gets error {@code frame-too-large} (one beyond four times
 * that is closed by the WebSocket layer with 1009); a connection over its rate gets
 * {@code rate-limited} and the frame is dropped; a {@code hello} must carry a valid token
 * (else error {@code auth-failed} and close 4401) whose subject is the hello's user (else
 * {@code forbidden} and close 4403). Malformed or unknown frames get the codec's error.
 */
public final class ChatNode extends VerticleBase {

    public static final short CLOSE_AUTH_FAILED = 4401;
    public static final short CLOSE_FORBIDDEN = 4403;
    public static final short CLOSE_BY_SERVER = 4000;
    public static final short CLOSE_TOO_SLOW = 4008;
    /** Bytes a connection may have waiting to be written before the node gives up on it. */
    static final int WRITE_QUEUE_BYTES_MAX = 1 << 20;
    /** Frames held while a hello's token is being checked; beyond it they are refused. */
    static final int PENDING_FRAMES_MAX = 64;
    /** Before the second attempt of a store operation that failed (store down or unreachable); doubled after each. */
    static final long STORE_RETRY_MILLIS = 200;
    /** The longest wait between two attempts. */
    static final long STORE_RETRY_MILLIS_MAX = 1_600;
    /**
     * Attempts of one store operation before the node gives up on it (waits 0.2 + 0.4 + 0.8 + 1.6 +
     * 1.6 s, so about 4.6 s plus the attempts themselves): a store that cannot take a chat's write
     * must not leave that chat, and every later send to it, unanswered.
     */
    static final int STORE_ATTEMPTS_MAX = 6;
    /** Between the node's peer address being registered and the node announcing itself to the cluster. */
    static final long MEMBERSHIP_DELAY_MILLIS = 300;

    private final NodeSettings settings;
    private final ChatStore store;
    private final PeerNetwork peers;
    private final Membership membership;
    private final HistorySink history;
    private final PrometheusMeterRegistry registry;
    private final FrameCodec codec;
    private final PushLog pushes;
    /** The frame encoded last and its text: a message fanned out to many sessions is encoded once. */
    private Frame lastEncoded;
    private String lastEncodedText;

    private ChatServerNode node;
    private Tokens tokens;
    private WebSocketGateway gateway;
    private final Map<Long, Connection> connections = new HashMap<>();
    private long nextSession = 1;
    private long viewVersion;
    private List<String> liveNodes = List.of();
    private long nanoZero;
    private long microsAtNanoZero;
    private boolean stopped;
    private NodeChaos chaos = NodeChaos.off();

    private Counter framesIn;
    private Counter framesOut;
    private Counter refusedFrames;
    private Counter storeFailures;
    private Counter storeGaveUp;
    private Counter pushCounter;
    private Counter slowClosed;
    private Timer storeTimer;
    /** Where the node's time goes, by frame kind, peer message kind and store operation (calibration reads them). */
    private WorkTimers work;

    /** One WebSocket and the gateway's state for it; it hears its socket's events itself. */
    private final class Connection implements GatewaySocket.Listener {
        final long session;
        final GatewaySocket ws;
        final TokenBucket bucket;
        boolean helloPending;
        boolean open;
        final List<String> pending = new ArrayList<>();

        Connection(long session, GatewaySocket ws, TokenBucket bucket) {
            this.session = session;
            this.ws = ws;
            this.bucket = bucket;
        }

        @Override
        public void text(String text) {
            onText(this, text);
        }

        @Override
        public void binary() {
            refuse(this, ErrorCode.BAD_JSON, "binary frames are not accepted: send JSON text");
        }

        @Override
        public void closed() {
            ChatNode.this.closed(this);
        }
    }

    public ChatNode(NodeSettings settings, ChatStore store, PeerNetwork peers, Membership membership,
                    HistorySink history, PrometheusMeterRegistry registry) {
        this.settings = settings;
        this.store = store;
        this.peers = peers;
        this.membership = membership;
        this.history = history;
        this.registry = registry;
        this.codec = new FrameCodec(settings.frameCharsMax());
        this.pushes = new PushLog(settings.pushLogMax());
    }

    /** The port the node listens on (after deployment). */
    public int port() {
        return gateway.port();
    }

    /** The faults this node applies to itself (its clock, {@code POST /chaos}); off unless set before deployment. */
    public ChatNode withChaos(NodeChaos nodeChaos) {
        this.chaos = nodeChaos;
        return this;
    }

    /**
     * Microseconds since the run's epoch, from a monotonic clock anchored once to the wall clock,
     * plus the clock skew chaos asked for (0 unless a run's chaos set one).
     */
    public long now() {
        return microsAtNanoZero + (System.nanoTime() - nanoZero) / 1000 + chaos.clockOffsetMicros();
    }

    @Override
    public Future<?> start() {
        nanoZero = System.nanoTime();
        microsAtNanoZero = (System.currentTimeMillis() - settings.epochMillis()) * 1000;
        node = new ChatServerNode(settings.nodeId(), settings.nodeNumber(), settings.server());
        tokens = new Tokens(vertx, settings.jwtSecret());
        framesIn = registry.counter("chatlab_frames_in");
        framesOut = registry.counter("chatlab_frames_out");
        refusedFrames = registry.counter("chatlab_frames_refused");
        storeFailures = registry.counter("chatlab_store_failures");
        storeGaveUp = registry.counter("chatlab_store_gave_up");
        pushCounter = registry.counter("chatlab_pushes");
        slowClosed = registry.counter("chatlab_sessions_closed_too_slow");
        storeTimer = Timer.builder("chatlab_store_ops").publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("chatlab_sessions", connections, Map::size).register(registry);
        Gauge.builder("chatlab_owned_chats", this, n -> n.node.ownedChatCount()).register(registry);

        work = new WorkTimers(registry);
        Future<Void> reachable = peers.start(settings.nodeId(), (from, message) -> {
                    long arrived = System.nanoTime();
                    apply(node.onPeer(from, message, now()));
                    work.peer(message.getClass(), System.nanoTime() - arrived);
                })
                // Give the other nodes' event buses time to learn the registration before they learn of the node.
                .compose(v -> vertx.timer(MEMBERSHIP_DELAY_MILLIS))
                // Membership may talk to Hazelcast, which blocks: not on the event loop.
                .compose(id -> vertx.executeBlocking(() -> {
                    membership.start(nodes -> context.runOnContext(v -> viewChanged(nodes)));
                    return null;
                }));

        // Beyond four times the protocol's limit, the WebSocket layer itself refuses a frame (close 1009).
        int messageBytesMax = settings.frameCharsMax() * 4;
        AdminEndpoints endpoints = new AdminEndpoints(this::health, registry::scrape, pushes, this::now,
                Map.of("/chaos", new NodeChaosEndpoint(chaos), "/calibration", work.serviceTimes()));
        gateway = new WebSocketGateway((ContextInternal) context, settings.host(), settings.port(), messageBytesMax,
                WRITE_QUEUE_BYTES_MAX, this::accept, endpoints);
        return reachable.compose(v -> gateway.listen());
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        return gateway == null ? Future.succeededFuture() : gateway.close();
    }

    private void viewChanged(List<String> nodes) {
        liveNodes = List.copyOf(nodes);
        apply(node.onClusterView(new ClusterView(++viewVersion, nodes), now()));
    }

    // ---- HTTP ------------------------------------------------------------------------------------

    private JsonObject health() {
        return new JsonObject()
                .put("status", "up")
                .put("node", settings.nodeId())
                .put("sessions", connections.size())
                .put("owned_chats", node.ownedChatCount())
                .put("view", new JsonArray(new ArrayList<Object>(liveNodes)));
    }

    // ---- WebSocket gateway ---------------------------------------------------------------------

    private GatewaySocket.Listener accept(GatewaySocket ws) {
        Connection c = new Connection(nextSession++, ws, new TokenBucket(settings.ratePerSecond(), settings.rateBurst(),
                System.nanoTime()));
        connections.put(c.session, c);
        return c;
    }

    private void onText(Connection c, String text) {
        if (connections.get(c.session) != c) {
            return;
        }
        framesIn.increment();
        long arrived = System.nanoTime();
        if (!c.bucket.tryTake(arrived)) {
            refuse(c, ErrorCode.RATE_LIMITED, "more than " + settings.ratePerSecond() + " frames per second; slow down");
            return;
        }
        if (c.helloPending) {
            if (c.pending.size() >= PENDING_FRAMES_MAX) {
                refuse(c, ErrorCode.RATE_LIMITED, "too many frames before the hello was answered");
            } else {
                c.pending.add(text);
            }
            return;
        }
        FrameCodec.Decoded decoded = codec.decode(text);
        if (!decoded.ok()) {
            refusedFrames.increment();
            write(c, decoded.error());
            return;
        }
        Frame frame = decoded.frame();
        if (!c.open && frame instanceof Frame.Hello hello) {
            authenticate(c, hello, arrived);
            return;
        }
        apply(node.onFrame(c.session, frame, now()));
        work.frame(frame.getClass(), System.nanoTime() - arrived);
    }

    private void authenticate(Connection c, Frame.Hello hello, long arrived) {
        c.helloPending = true;
        tokens.subjectOf(hello.token()).onComplete(ar -> {
            c.helloPending = false;
            if (connections.get(c.session) != c) {
                return;
            }
            if (ar.failed()) {
                write(c, new Frame.Error(ErrorCode.AUTH_FAILED, hello.token() == null
                        ? "a hello must carry a token" : "the token is forged, expired or malformed"));
                closeSocket(c, CLOSE_AUTH_FAILED, "authentication failed");
                return;
            }
            if (!ar.result().equals(hello.user())) {
                write(c, new Frame.Error(ErrorCode.FORBIDDEN, "the token speaks for another user than '" + hello.user() + "'"));
                closeSocket(c, CLOSE_FORBIDDEN, "forbidden");
                return;
            }
            c.open = true;
            apply(node.onFrame(c.session, hello, now()));
            work.connect(System.nanoTime() - arrived);
            List<String> held = new ArrayList<>(c.pending);
            c.pending.clear();
            for (String text : held) {
                onTextAfterHello(c, text);
            }
        });
    }

    /** A frame held during the token check: the rate was already charged. */
    private void onTextAfterHello(Connection c, String text) {
        FrameCodec.Decoded decoded = codec.decode(text);
        if (!decoded.ok()) {
            write(c, decoded.error());
            return;
        }
        apply(node.onFrame(c.session, decoded.frame(), now()));
    }

    private void refuse(Connection c, ErrorCode code, String message) {
        refusedFrames.increment();
        write(c, new Frame.Error(code, message));
    }

    private void closed(Connection c) {
        if (connections.remove(c.session) == c && c.open && !stopped) {
            apply(node.onSessionClosed(c.session, now()));
        }
    }

    private void closeSocket(Connection c, short code, String reason) {
        connections.remove(c.session);
        if (!c.ws.isClosed()) {
            c.ws.close(code, reason.length() > 100 ? reason.substring(0, 100) : reason);
        }
    }

    private void write(Connection c, Frame frame) {
        if (c.ws.isClosed()) {
            return;
        }
        if (c.ws.writeQueueFull()) {
            // A device that does not read would make the node buffer without bound: drop it instead;
            // it reconnects and syncs what it missed.
            slowClosed.increment();
            closeSocket(c, CLOSE_TOO_SLOW, "the device reads too slowly");
            if (c.open) {
                // Not from inside the effects being carried out: the state machine hears it next.
                context.runOnContext(v -> apply(node.onSessionClosed(c.session, now())));
            }
            return;
        }
        framesOut.increment();
        c.ws.sendText(encoded(frame));
    }

    private String encoded(Frame frame) {
        // Frames are immutable records, and a fan-out emits the same instance for every recipient in a row.
        if (frame != lastEncoded) {
            lastEncodedText = codec.encode(frame);
            lastEncoded = frame;
        }
        return lastEncodedText;
    }

    // ---- effects ---------------------------------------------------------------------------------

    private void apply(List<ServerEffect> effects) {
        for (ServerEffect effect : effects) {
            if (effect instanceof ServerEffect.SendFrame f) {
                Connection c = connections.get(f.session());
                if (c != null) {
                    write(c, f.frame());
                }
            } else if (effect instanceof ServerEffect.CloseSession close) {
                Connection c = connections.get(close.session());
                if (c != null) {
                    closeSocket(c, CLOSE_BY_SERVER, close.reason());
                }
            } else if (effect instanceof ServerEffect.Route r) {
                peers.send(r.node(), r.message());
            } else if (effect instanceof ServerEffect.Publish p) {
                peers.publish(p.topic(), p.message());
            } else if (effect instanceof ServerEffect.Subscribe s) {
                peers.subscribe(s.topic());
            } else if (effect instanceof ServerEffect.Unsubscribe u) {
                peers.unsubscribe(u.topic());
            } else if (effect instanceof ServerEffect.Store s) {
                runStore(s.requestId(), s.op(), 1);
            } else if (effect instanceof ServerEffect.Push p) {
                pushCounter.increment();
                pushes.record(p.user(), p.chat(), p.seq(), p.from(), now());
            } else if (effect instanceof ServerEffect.SetTimer t) {
                long delayMillis = Math.max(1, (t.atMicros() - now() + 999) / 1000);
                vertx.setTimer(delayMillis, id -> {
                    if (!stopped) {
                        apply(node.onTimer(t.timer(), now()));
                    }
                });
            } else if (effect instanceof ServerEffect.Record r) {
                history.accept(r.event());
            }
        }
    }

    /**
     * Runs a store operation and feeds its result back on the event loop, never synchronously (so
     * the effects of one input are all carried out before the next input). A store that cannot be
     * reached is retried with backoff, at most {@link #STORE_ATTEMPTS_MAX} times: every operation
     * is safe to repeat (appends are idempotent by cmid, a repeated claim only fences the previous
     * one). Then, or at once for a refusal, the node hears {@link StoreResult.Failed}.
     */
    private void runStore(long requestId, StoreOp op, int attempt) {
        long started = System.nanoTime();
        Future<StoreResult> result;
        try {
            result = store.apply(op);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        Promise<StoreResult> hop = Promise.promise();
        result.onComplete(ar -> context.runOnContext(v -> {
            if (ar.succeeded()) {
                hop.complete(ar.result());
            } else {
                hop.fail(ar.cause());
            }
        }));
        hop.future().onComplete(ar -> {
            if (stopped) {
                return;
            }
            long took = System.nanoTime() - started;
            storeTimer.record(took, TimeUnit.NANOSECONDS);
            work.store(op.getClass(), took);
            if (ar.succeeded()) {
                apply(node.onStored(requestId, ar.result(), now()));
            } else {
                storeFailures.increment();
                boolean forGood = refusedForGood(ar.cause());
                if (forGood || attempt >= STORE_ATTEMPTS_MAX) {
                    // A refusal fails the same way every time, and a store down this long is not worth
                    // waiting for: the node answers the request (a send gets fail) and the chat goes on.
                    storeGaveUp.increment();
                    System.err.println("[" + settings.nodeId() + "] store gave up on " + op.getClass().getSimpleName()
                            + " after " + attempt + " attempt(s)" + (forGood ? " (refused for good)" : "") + ": "
                            + ar.cause().getMessage());
                    apply(node.onStored(requestId, new StoreResult.Failed(op.chat(), forGood
                            ? "the store refused it" : "the store failed " + attempt + " times"), now()));
                    return;
                }
                if (attempt == 1) {
                    System.err.println("[" + settings.nodeId() + "] store op " + op.getClass().getSimpleName()
                            + " failed (attempt " + attempt + "): " + ar.cause());
                }
                long delay = Math.min(STORE_RETRY_MILLIS_MAX, STORE_RETRY_MILLIS << Math.min(attempt - 1, 16));
                vertx.setTimer(delay, id -> runStore(requestId, op, attempt + 1));
            }
        });
    }

    /**
     * A refusal that repeating cannot change: a unique constraint or any data exception (SQL state
     * class 22: a value the database cannot hold) from PostgreSQL, or a taken seq (other stores).
     */
    static boolean refusedForGood(Throwable cause) {
        String text = String.valueOf(cause.getMessage());
        return cause instanceof IllegalStateException && text.contains("is taken")
                || text.contains(PostgresChatStore.UNIQUE_VIOLATION)
                || cause instanceof io.vertx.sqlclient.DatabaseException db && db.getSqlState() != null
                        && db.getSqlState().startsWith("22");
    }

    /** For tests: the peer network's drop count and pushes recorded. */
    public long pushesRecorded() {
        return pushes.recorded();
    }

    /** A peer message for this node, as if it came from {@code from} (tests). */
    void injectPeer(String from, PeerMessage message) {
        context.runOnContext(v -> apply(node.onPeer(from, message, now())));
    }
}
