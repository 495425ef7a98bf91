package dev.chatlab.reference.bench;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.reference.auth.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

import dev.chatlab.reference.cluster.ClusterLauncher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Fuzzes running chat nodes over their WebSockets and judges them: first a member sends and gets
 * acknowledged ordinary messages in a few chats, then several connections (spread over the nodes,
 * members and outsiders) send {@link FuzzFrames}, before and after their hello, each frame followed
 * by a {@code ping} probe, with floods over the rate limit now and then. Every answer is tied to
 * the frame it answers: an answer that names a request (an {@code ack}, {@code fail}, an
 * {@code error} with a cmid or chat, a {@code sync-done}) to that request, and an answer that names
 * none to the oldest frame still owed one, which must come before the probe behind it. At the end
 * a member syncs every chat, which must return each message acknowledged before the fuzzing with
 * the same seq and the same body.
 *
 * <p>The same code runs against a cluster of node processes ({@code chatlab bench fuzz}) and
 * against in-process nodes (a test).
 */
public final class FuzzBench {

    /** A send's and a probe's documented answer bound (docs/protocol.md: every send answered within 10 s). */
    static final long ANSWER_BOUND_NANOS = TimeUnit.SECONDS.toNanos(11);
    /** Close codes of docs/protocol.md's table, and 1000/1006 (a normal close, a dropped connection). */
    static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1000, 1006, 1007, 1009, 4000, 4008, 4401, 4403);
    static final int BATCH = 32;
    /** Marks a probe's nonce, so that a fuzzed ping's pong is not taken for a probe's. */
    static final long PROBE = 0x5EED_0000_0000_0000L;
    static final long PROBE_MASK = 0xFFFF_0000_0000_0000L;
    static final String[] BODIES = {"plain", "nul \u0000 inside", "lone \ud800 surrogate", "emoji 😀🍕", "", "quote \" back \\"};

    /**
     * What to fuzz and how hard.
     *
     * @param webSocketPorts  the nodes' ports on 127.0.0.1
     * @param frames          fuzzed frames to send, floods included (probes not counted)
     * @param connections     fuzzing connections at a time
     * @param ratePerSecond   the nodes' rate limit per connection, so that ordinary fuzzing stays under it and floods go over
     * @param burst           the nodes' burst
     * @param frameCharsMax   the nodes' frame limit
     */
    public record Plan(List<Integer> webSocketPorts, long frames, long seed, int connections, double ratePerSecond,
                       int burst, int frameCharsMax) {
    }

    /** The verdict: counts, answers by code, and what failed. */
    public record Report(long framesSent, long probes, long floods, List<String> deadNodes, List<String> stopped, long hangs,
                         long unanswered,
                         long acknowledgedBefore, long lost, List<String> lostExamples, long undocumentedCloses,
                         Map<String, Long> answers, double seconds) {

        public List<String> failures() {
            List<String> failed = new ArrayList<>();
            if (!deadNodes.isEmpty()) {
                failed.add(deadNodes.size() + " crashes (" + String.join(", ", deadNodes) + " died)");
            }
            failed.addAll(stopped);
            if (hangs > 0) {
                failed.add(hangs + " hangs (a probe unanswered within 11 s)");
            }
            if (unanswered > 0) {
                failed.add(unanswered + " unanswered frames");
            }
            if (lost > 0) {
                failed.add(lost + " of " + acknowledgedBefore + " messages acknowledged before the fuzzing lost or changed, e.g. "
                        + String.join("; ", lostExamples));
            }
            if (undocumentedCloses > 0) {
                failed.add(undocumentedCloses + " closes with a code docs/protocol.md does not list");
            }
            if (framesSent == 0 || acknowledgedBefore == 0) {
                failed.add("nothing was fuzzed or acknowledged: the run proves nothing");
            }
            return failed;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%,d frames in %.1f s (%,.0f frames/s), %,d probes, %d floods; crashes %d, hangs %d,"
                            + " unanswered %d, lost %d of %d acknowledged before; answers: %s", framesSent, seconds,
                    framesSent / Math.max(seconds, 1e-9), probes, floods, deadNodes.size(), hangs, unanswered, lost,
                    acknowledgedBefore, answers);
        }
    }

    private final Vertx vertx;
    private final Plan plan;
    private final Tokens tokens;
    private final Supplier<List<String>> deadNodes;
    private final FrameCodec codec;
    private final WebSocketClient client;
    private final List<String> chats;
    private final String owner = "fz-owner";
    private final String member = "fz-member";
    private final List<String> users = List.of(owner, member, "fz-outsider", "fz-other");
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong probes = new AtomicLong();
    private final AtomicLong floods = new AtomicLong();
    private final AtomicLong hangs = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong undocumentedCloses = new AtomicLong();
    private final List<String> lostExamples = new ArrayList<>();
    private final List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param tokens     mints tokens the nodes accept
     * @param deadNodes  the nodes that are no longer running (processes that died)
     */
    public FuzzBench(Vertx vertx, Plan plan, Tokens tokens, Supplier<List<String>> deadNodes) {
        this.vertx = vertx;
        this.plan = plan;
        this.tokens = tokens;
        this.deadNodes = deadNodes;
        this.codec = new FrameCodec(plan.frameCharsMax());
        int transportMax = plan.frameCharsMax() * 16;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(transportMax)
                .setMaxMessageSize(transportMax).setClosingTimeout(1).setMaxConnections(10_000));
        this.chats = List.of("fz-c1", "fz-c2", "fz-c3");
    }

    /**
     * Starts a cluster of node processes in {@code dir} (a fresh one: its store must hold no chats
     * yet), fuzzes it and stops it. The nodes run with this plan's rate limit and burst and the
     * default frame limit; the plan's ports are ignored.
     */
    public static Report onCluster(Path dir, int nodes, String store, Plan plan, PrintStream out) throws Exception {
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, nodes).withStore(store)
                .withNodeArgs(Map.of("rate", Long.toString((long) plan.ratePerSecond()), "burst", Integer.toString(plan.burst()))));
        Vertx vertx = Vertx.vertx();
        try {
            List<Integer> ports = new ArrayList<>();
            for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
                ports.add(n.port());
            }
            out.println("cluster of " + nodes + " nodes up (store: " + store + "), ports " + ports + "; fuzzing "
                    + String.format(Locale.ROOT, "%,d", plan.frames()) + " frames, seed " + plan.seed());
            Plan onPorts = new Plan(ports, plan.frames(), plan.seed(), plan.connections(), plan.ratePerSecond(), plan.burst(),
                    plan.frameCharsMax());
            Supplier<List<String>> dead = () -> cluster.nodeNames().stream().filter(n -> !cluster.isAlive(n)).toList();
            return new FuzzBench(vertx, onPorts, new Tokens(vertx, cluster.secret()), dead).run(out);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            cluster.stop();
        }
    }

    /** Runs the fuzzing; {@code progress} gets a line every 10 s. */
    public Report run(PrintStream progress) throws Exception {
        long started = System.nanoTime();
        Map<String, List<Frame.Ack>> acked = new TreeMap<>();
        Map<String, String> bodyOf = new HashMap<>();
        seed(acked, bodyOf);
        ExecutorService workers = Executors.newFixedThreadPool(plan.connections());
        List<Future<?>> done = new ArrayList<>();
        long each = plan.frames() / plan.connections();
        for (int w = 0; w < plan.connections(); w++) {
            long quota = w == 0 ? plan.frames() - each * (plan.connections() - 1) : each;
            int worker = w;
            done.add(workers.submit(() -> {
                try {
                    new Fuzzer(worker, quota).run();
                } catch (RuntimeException e) {
                    stopped.add("fuzzing connection " + worker + " stopped: " + e.getMessage());
                }
                return null;
            }));
        }
        workers.shutdown();
        long lastLine = System.nanoTime();
        while (!workers.awaitTermination(200, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() - lastLine > TimeUnit.SECONDS.toNanos(10)) {
                lastLine = System.nanoTime();
                double s = (lastLine - started) / 1e9;
                progress.printf(Locale.ROOT, "fuzz: %,d of %,d frames (%,.0f/s), hangs %d, unanswered %d, dead nodes %s%n",
                        sent.get(), plan.frames(), sent.get() / s, hangs.get(), unanswered.get(), deadNodes.get());
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        long lost;
        try {
            lost = lost(acked, bodyOf);
        } catch (IllegalStateException e) {
            lost = acked.values().stream().mapToLong(List::size).sum();
            stopped.add("the final sync failed: " + e.getMessage());
        }
        Map<String, Long> byCode = new TreeMap<>();
        answers.forEach((k, v) -> byCode.put(k, v.get()));
        long ackedBefore = acked.values().stream().mapToLong(List::size).sum();
        return new Report(sent.get(), probes.get(), floods.get(), deadNodes.get(), List.copyOf(stopped), hangs.get(), unanswered.get(),
                ackedBefore, lost, List.copyOf(lostExamples), undocumentedCloses.get(), byCode, (System.nanoTime() - started) / 1e9);
    }

    /** The owner creates the chats, adds the member, and sends messages with every kind of body. */
    private void seed(Map<String, List<Frame.Ack>> acked, Map<String, String> bodyOf) {
        Conn c = Conn.open(this, port(0), owner, "seed");
        for (String chat : chats) {
            c.send(new Frame.Membership(chat, owner, MemberOp.ADD));
            c.await(f -> f instanceof Frame.Membership m && m.chat().equals(chat) && m.user().equals(owner));
            c.send(new Frame.Membership(chat, member, MemberOp.ADD));
            // A sync answers once the owner has applied both adds.
            c.send(new Frame.Sync(chat, 0, 1));
            c.await(f -> f instanceof Frame.SyncDone d && d.chat().equals(chat));
            List<Frame.Ack> acks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String cmid = "seed-" + chat + "-" + i;
                String body = BODIES[i % BODIES.length] + " " + i;
                bodyOf.put(cmid, body);
                c.send(new Frame.Send(chat, cmid, body));
                acks.add((Frame.Ack) c.await(f -> f instanceof Frame.Ack a && a.cmid().equals(cmid)));
            }
            acked.put(chat, acks);
        }
        c.ws.close();
    }

    /** Messages acknowledged before the fuzzing that a member's sync does not return as they were. */
    private long lost(Map<String, List<Frame.Ack>> acked, Map<String, String> bodyOf) {
        // The owner checks: a fuzzing member may have left a chat, nobody can remove its creator.
        Conn c = openAny(plan.webSocketPorts().size() - 1, owner, "check");
        long lost = 0;
        for (Map.Entry<String, List<Frame.Ack>> chat : acked.entrySet()) {
            Map<Long, Frame.Deliver> got = new HashMap<>();
            long after = 0;
            boolean more = true;
            while (more) {
                c.send(new Frame.Sync(chat.getKey(), after, 10_000));
                Frame.SyncDone d = null;
                while (d == null) {
                    Frame f = c.await(x -> x instanceof Frame.Deliver || x instanceof Frame.SyncDone);
                    if (f instanceof Frame.Deliver m && m.chat().equals(chat.getKey())) {
                        got.put(m.seq(), m);
                    } else if (f instanceof Frame.SyncDone sd && sd.chat().equals(chat.getKey())) {
                        d = sd;
                    }
                }
                more = d.more() && d.upToSeq() > after;
                after = d.upToSeq();
            }
            for (Frame.Ack ack : chat.getValue()) {
                Frame.Deliver m = got.get(ack.seq());
                if (m == null || !m.cmid().equals(ack.cmid()) || !m.body().equals(bodyOf.get(ack.cmid()))
                        || !m.from().equals(owner)) {
                    lost++;
                    if (lostExamples.size() < 5) {
                        lostExamples.add(ack + " acknowledged, sync returned " + (m == null ? "nothing at that seq" : m));
                    }
                }
            }
        }
        c.ws.close();
        return lost;
    }

    /** A connection to the node at {@code first}, or to the next one that takes it (a node may have died). */
    private Conn openAny(int first, String user, String device) {
        IllegalStateException last = null;
        for (int i = 0; i < plan.webSocketPorts().size(); i++) {
            try {
                return Conn.open(this, port(first + i), user, device);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private int port(int i) {
        return plan.webSocketPorts().get(i % plan.webSocketPorts().size());
    }

    private void count(String answer) {
        answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
    }

    /** What a fuzzed frame is owed, judged by the same codec as the node's. */
    private enum Owed {
        /** An answer before the probe behind it (a refusal by the codec, a pong, {@code unknown-type}...). */
        NOW,
        /** An answer naming it, within the send bound: a {@code send}'s or a {@code sync}'s. */
        NAMED,
        /** Nothing: a valid watermark, typing, membership or watch may go unanswered. */
        NOTHING,
        /** The close of the connection. */
        CLOSE
    }

    private Owed owed(FuzzFrames.Fuzzed f, boolean open) {
        switch (f.shape()) {
            case BINARY:
                return Owed.NOW;
            case NOT_UTF8:
            case BEYOND_TRANSPORT:
                return Owed.CLOSE;
            default:
                break;
        }
        FrameCodec.Decoded d = codec.decode(f.text());
        if (!d.ok() || !open) {
            return Owed.NOW;
        }
        Frame frame = d.frame();
        if (frame instanceof Frame.Send || frame instanceof Frame.Sync) {
            return Owed.NAMED;
        }
        if (frame instanceof Frame.Typing || frame instanceof Frame.Delivered || frame instanceof Frame.Read
                || frame instanceof Frame.Membership || frame instanceof Frame.Left || frame instanceof Frame.Watch) {
            return Owed.NOTHING;
        }
        return Owed.NOW;
    }

    /** One fuzzing connection at a time, reconnecting when the node closes it. */
    private final class Fuzzer {
        final int worker;
        final long quota;
        final FuzzFrames frames;
        final String user;
        long connections;
        long nonces;
        long paceStarted;
        long paced;
        /** Pings in a flood: a quarter over the burst. */
        final int flood = plan.burst() + plan.burst() / 4 + 10;
        Conn c;
        /** Frames owed an answer now, oldest first: their probe's nonce. */
        final ArrayDeque<Long> owedNow = new ArrayDeque<>();
        /** Sends and syncs owed a named answer: key (cmid or "sync " + chat) to when it was sent. */
        final Map<String, ArrayDeque<Long>> owedNamed = new HashMap<>();

        Fuzzer(int worker, long quota) {
            this.worker = worker;
            this.quota = quota;
            this.frames = new FuzzFrames(plan.seed() * 1_000_003L + worker, chats.get(worker % chats.size()),
                    chats.get((worker + 1) % chats.size()), users, plan.frameCharsMax());
            // Members and outsiders, on every node.
            this.user = users.get(1 + worker % (users.size() - 1));
        }

        void run() {
            long mine = 0;
            while (mine < quota) {
                if (c == null || c.closed()) {
                    mine += connect(quota - mine);
                    continue;
                }
                if (frames.reconnectNext()) {
                    c.ws.close();
                    c.awaitClosed();
                    for (Frame f = c.poll(System.nanoTime()); f != null; f = c.poll(System.nanoTime())) {
                        answer(f);
                    }
                    mine += connect(quota - mine);
                    continue;
                }
                if (frames.floodNext() && quota - mine >= flood) {
                    mine += flood();
                    continue;
                }
                for (int b = 0; b < BATCH && mine < quota && !c.closed(); b++) {
                    FuzzFrames.Fuzzed f = frames.next();
                    Owed o = owed(f, true);
                    write(f);
                    mine++;
                    sent.incrementAndGet();
                    if (o == Owed.CLOSE) {
                        awaitClose();
                        break;
                    }
                    long probe = ++nonces;
                    if (o == Owed.NOW) {
                        owedNow.add(probe);
                    } else if (o == Owed.NAMED) {
                        owedNamed.computeIfAbsent(key(codec.decode(f.text()).frame()), k -> new ArrayDeque<>()).add(System.nanoTime());
                    }
                    c.send(new Frame.Ping(PROBE | probe));
                    probes.incrementAndGet();
                    c.probesOut++;
                }
                if (c != null && !c.closed()) {
                    awaitProbe(nonces);
                }
                pace(BATCH * 2);
            }
            if (c != null && !c.closed()) {
                drainNamed();
                c.ws.close();
            }
        }

        /** A new connection: a few fuzzed frames before the hello now and then, then the hello, answered by a welcome. */
        long connect(long left) {
            if (c != null) {
                settleClosed();
            }
            c = openAny(worker + (int) connections, null, null);
            String device = "fz" + worker + "-" + (++connections);
            long n = connections == 1 ? 0 : Math.min(left, frames.cuts(4).length + 1);
            long hello = ++nonces;
            for (int i = 0; i < n; i++) {
                FuzzFrames.Fuzzed f = new FuzzFrames.Fuzzed(FuzzFrames.Shape.TEXT, frames.beforeHello(), null);
                owedNow.add(hello);
                write(f);
                sent.incrementAndGet();
            }
            c.send(new Frame.Hello(user, device, tokens.issue(user, 3600)));
            if (answerUntil(f -> f instanceof Frame.Welcome) != null) {
                count("welcome");
                unansweredBefore(hello + 1);
                paceStarted = System.nanoTime();
                paced = 0;
            }
            return n;
        }

        /** Pings beyond the burst in one go: each is owed a pong or {@code rate-limited}. */
        long flood() {
            floods.incrementAndGet();
            int n = flood;
            String[] pings = new String[n];
            for (int i = 0; i < n; i++) {
                pings[i] = codec.encode(new Frame.Ping(-(++nonces)));
                owedNow.add(nonces);
            }
            for (String p : pings) {
                c.ws.writeTextMessage(p);
            }
            sent.addAndGet(n);
            // Wait until every flood ping is answered, then until the bucket is full again, before the probe.
            answerWhile(() -> !owedNow.isEmpty());
            sleep((long) (1000 * plan.burst() / plan.ratePerSecond()) + 200);
            if (!c.closed()) {
                long probe = ++nonces;
                c.send(new Frame.Ping(PROBE | probe));
                probes.incrementAndGet();
                c.probesOut++;
                awaitProbe(probe);
            }
            paceStarted = System.nanoTime();
            paced = 0;
            return n;
        }

        void write(FuzzFrames.Fuzzed f) {
            WebSocket ws = c.ws;
            switch (f.shape()) {
                case BINARY -> ws.writeBinaryMessage(Buffer.buffer(f.bytes()));
                case NOT_UTF8 -> ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, f.bytes(), true));
                case FRAGMENTED -> {
                    byte[] utf8 = f.text().getBytes(StandardCharsets.UTF_8);
                    int[] cuts = frames.cuts(utf8.length);
                    int from = 0;
                    for (int i = 0; i <= cuts.length; i++) {
                        int to = i < cuts.length ? cuts[i] : utf8.length;
                        byte[] part = Arrays.copyOfRange(utf8, from, to);
                        boolean last = i == cuts.length;
                        WebSocketFrame frame = i == 0 ? new WebSocketFrameImpl(WebSocketFrameType.TEXT, part, last)
                                : WebSocketFrame.continuationFrame(Buffer.buffer(part), last);
                        ws.writeFrame(frame);
                        from = to;
                    }
                }
                default -> ws.writeTextMessage(f.text());
            }
        }

        /** Answers until the probe's pong; a probe unanswered within the bound is a hang. */
        void awaitProbe(long probe) {
            if (answerUntil(f -> f instanceof Frame.Pong p && p.nonce() == (PROBE | probe)) != null) {
                count("pong (probe)");
                c.probesOut--;
                unansweredBefore(probe + 1);
            } else if (c != null) {
                settleClosed();
            }
        }

        /**
         * Takes answers until the awaited frame, and returns it; null when the connection closed
         * first, or when the bound passed (a hang: the connection is given up).
         */
        Frame answerUntil(java.util.function.Predicate<Frame> awaited) {
            long deadline = System.nanoTime() + ANSWER_BOUND_NANOS;
            while (!c.closed()) {
                Frame f = c.poll(deadline);
                if (f != null && awaited.test(f)) {
                    return f;
                }
                if (f != null) {
                    answer(f);
                } else if (System.nanoTime() >= deadline) {
                    hang();
                    return null;
                }
            }
            return null;
        }

        void awaitClose() {
            answerWhile(() -> true);
            if (!c.closed()) {
                unanswered.incrementAndGet();
                c.ws.close();
                owedNow.clear();
                owedNamed.clear();
                c = null;
                return;
            }
            settleClosed();
        }

        /** Takes answers while {@code owed} holds, until the connection closes or the answer bound passes. */
        void answerWhile(BooleanSupplier owed) {
            long deadline = System.nanoTime() + ANSWER_BOUND_NANOS;
            while (owed.getAsBoolean() && !c.closed() && System.nanoTime() < deadline) {
                Frame f = c.poll(deadline);
                if (f != null) {
                    answer(f);
                }
            }
        }

        /** A probe or a hello unanswered within the bound: the connection is given up. */
        void hang() {
            hangs.incrementAndGet();
            c.ws.close();
            owedNow.clear();
            owedNamed.clear();
            c = null;
        }

        /** A closed connection answered every frame still owed: the close is their answer. */
        void settleClosed() {
            if (c.closeCode != null && !c.counted) {
                c.counted = true;
                count("close " + c.closeCode);
                if (c.probesOut > 0) {
                    answers.computeIfAbsent("probes in flight at close " + c.closeCode, k -> new AtomicLong())
                            .addAndGet(c.probesOut);
                }
                if (!DOCUMENTED_CLOSES.contains(c.closeCode)) {
                    undocumentedCloses.incrementAndGet();
                }
            }
            owedNow.clear();
            owedNamed.clear();
        }

        /** Frames owed an answer before {@code probe} that got none. */
        void unansweredBefore(long probe) {
            while (!owedNow.isEmpty() && owedNow.peekFirst() < probe && owedNow.peekFirst() > 0) {
                owedNow.pollFirst();
                unanswered.incrementAndGet();
            }
        }

        void answer(Frame f) {
            if (f instanceof Frame.Ack a) {
                named(a.cmid(), "ack");
            } else if (f instanceof Frame.Fail x) {
                named(x.cmid(), "fail " + x.code().wire());
            } else if (f instanceof Frame.SyncDone d) {
                named("sync " + d.chat(), "sync-done");
            } else if (f instanceof Frame.Error e) {
                String code = "error " + e.code().wire();
                if (e.cmid() != null && owedNamed.containsKey(e.cmid())) {
                    named(e.cmid(), code);
                } else if (e.chat() != null && e.cmid() == null && owedNamed.containsKey("sync " + e.chat())) {
                    named("sync " + e.chat(), code);
                } else if (e.chat() == null && e.cmid() == null) {
                    owedNow.pollFirst();
                    count(code);
                } else {
                    count(code);
                }
            } else if (f instanceof Frame.Pong p && (p.nonce() & PROBE_MASK) == PROBE) {
                // A probe within the batch: the frame before it was owed its answer by now.
                count("pong (probe)");
                c.probesOut--;
                unansweredBefore((p.nonce() & ~PROBE_MASK) + 1);
            } else if (f instanceof Frame.Pong p) {
                // A fuzzed or flooding ping: it answers the oldest frame owed an answer.
                owedNow.pollFirst();
                count("pong");
            } else {
                count(typeOf(f));
            }
        }

        void named(String key, String code) {
            count(code);
            ArrayDeque<Long> q = owedNamed.get(key);
            if (q != null) {
                q.pollFirst();
                if (q.isEmpty()) {
                    owedNamed.remove(key);
                }
            }
        }

        /** At the end: sends and syncs still owed an answer get the send bound to have it. */
        void drainNamed() {
            answerWhile(() -> !owedNamed.isEmpty());
            if (!c.closed()) {
                for (ArrayDeque<Long> q : owedNamed.values()) {
                    unanswered.addAndGet(q.size());
                }
            }
            owedNamed.clear();
        }

        /** Keeps ordinary fuzzing at half the rate limit, so that only floods go over it. */
        void pace(int framesJustSent) {
            paced += framesJustSent;
            long due = paceStarted + (long) (paced / (plan.ratePerSecond() / 2) * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleep(TimeUnit.NANOSECONDS.toMillis(wait) + 1);
            }
        }

        private String key(Frame f) {
            return f instanceof Frame.Send s ? s.cmid() : "sync " + ((Frame.Sync) f).chat();
        }
    }

    private static String typeOf(Frame f) {
        String name = f.getClass().getSimpleName();
        return "push " + name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A WebSocket whose frames a worker thread reads in order. */
    private static final class Conn {
        final WebSocket ws;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final FrameCodec codec;
        volatile Integer closeCode;
        volatile boolean closedFlag;
        boolean counted;
        /** Probes sent and not yet answered. */
        long probesOut;

        private Conn(WebSocket ws, FrameCodec codec) {
            this.ws = ws;
            this.codec = codec;
            ws.textMessageHandler(received::add);
            ws.closeHandler(v -> {
                closeCode = ws.closeStatusCode() == null ? 1006 : (int) ws.closeStatusCode();
                closedFlag = true;
            });
        }

        /** Connects; with a user, says hello and waits for the welcome. */
        static Conn open(FuzzBench bench, int port, String user, String device) {
            Conn c;
            try {
                c = new Conn(bench.client.connect(port, "127.0.0.1", "/ws").toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS), new FrameCodec(1 << 24));
            } catch (Exception e) {
                throw new IllegalStateException("cannot connect to 127.0.0.1:" + port + ": " + e, e);
            }
            if (user != null) {
                c.send(new Frame.Hello(user, device, bench.tokens.issue(user, 3600)));
                c.await(f -> f instanceof Frame.Welcome);
            }
            return c;
        }

        void awaitClosed() {
            long deadline = System.nanoTime() + ANSWER_BOUND_NANOS;
            while (!closedFlag && System.nanoTime() < deadline) {
                sleep(1);
            }
        }

        boolean closed() {
            // Frames that came before the close are still to be read.
            return closedFlag && received.isEmpty();
        }

        void send(Frame f) {
            ws.writeTextMessage(codec.encode(f));
        }

        Frame poll(long deadline) {
            try {
                String text = received.poll(Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS);
                if (text == null) {
                    return null;
                }
                FrameCodec.Decoded d = codec.decode(text);
                return d.ok() ? d.frame() : d.error();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** The first frame that matches within the bound (others are dropped: only the seeding and the check use this). */
        Frame await(java.util.function.Predicate<Frame> match) {
            long deadline = System.nanoTime() + ANSWER_BOUND_NANOS;
            while (System.nanoTime() < deadline) {
                Frame f = poll(deadline);
                if (f != null && match.test(f)) {
                    return f;
                }
                if (f instanceof Frame.Error e) {
                    throw new IllegalStateException("refused: " + e);
                }
                if (closedFlag && received.isEmpty()) {
                    throw new IllegalStateException("the node closed the connection (" + closeCode + ")");
                }
            }
            throw new IllegalStateException("no answer within 11 s");
        }
    }
}
