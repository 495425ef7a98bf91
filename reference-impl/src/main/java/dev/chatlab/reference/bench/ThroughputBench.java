package dev.chatlab.reference.bench;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.CacheCounters;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.reference.cluster.NativeTransport;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.stores.RocksDbChatStore;
import dev.chatlab.stores.StoreSeeder;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.transport.Transport;
import org.HdrHistogram.Histogram;


import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deliveries per second through one real chat node with every message persisted in its store
 * (PostgreSQL unless told otherwise: sharded PostgreSQL, Cassandra, RocksDB), at an open-loop rate: {@code connections} devices in chats of {@code fanOut + 1} members; a
 * message is scheduled every 1/rate seconds whatever happened to the previous ones, and its
 * latency runs from that scheduled time to each delivery (no coordinated omission). The figures:
 * deliveries per second achieved, p50/p99/p999, and messages acknowledged (persisted).
 *
 * <pre>{@code
 * Map<String, Object> r = ThroughputBench.run(Path.of("runs/bench-tp"), 2000, 10, 2000, 20, 1, "epoll", List.of(), System.out);
 * }</pre>
 */
public final class ThroughputBench {

    /**
     * The least warm-up: after 5 s, the first measured round still cost the node a quarter more CPU
     * per message than the later ones (C2 compiling the hot paths).
     */
    static final long WARM_UP_SECONDS = 15;
    /**
     * The warm-up goes on in steps of this length while the nodes' JIT compilers used more than
     * {@link #JIT_QUIET_SHARE} of their CPU in the last step: three nodes on two shared cores were
     * still compiling after 15 s (C2 was 37% of a node's CPU in the measured round;
     * it settles near 10% after about a minute).
     */
    static final long WARM_UP_STEP_SECONDS = 5;
    static final double JIT_QUIET_SHARE = 0.10;
    static final long WARM_UP_MAX_SECONDS = 120;

    private ThroughputBench() {
    }

    /**
     * Runs the benchmark; {@code nodeJvmArgs} are added to the node process's JVM options (a
     * profiler, say: {@code -XX:StartFlightRecording=filename=node.jfr}).
     */
    public static Map<String, Object> run(Path dir, int connections, int fanOut, double messagesPerSecond, int seconds,
                                          int rounds, String transport, List<String> nodeJvmArgs, PrintStream out) throws Exception {
        return run(dir, "postgres", ClusterLauncher.Plan.STORE_SHARDS_DEFAULT, connections, fanOut, messagesPerSecond, seconds,
                rounds, transport, nodeJvmArgs, out);
    }

    /** The stores a node can be measured on: each holds the chats seeded before the rounds. */
    public static final List<String> STORES = List.of("postgres", "postgres-sharded", "cassandra", "rocksdb");

    /**
     * As {@link #run(Path, int, int, double, int, int, String, List, PrintStream)}, on {@code store}
     * (one of {@link #STORES}; {@code shards}: servers of postgres-sharded).
     */
    public static Map<String, Object> run(Path dir, String store, int shards, int connections, int fanOut, double messagesPerSecond,
                                          int seconds, int rounds, String transport, List<String> nodeJvmArgs, PrintStream out)
            throws Exception {
        return run(dir, 1, false, store, shards, 0, connections, fanOut, messagesPerSecond, seconds, rounds, transport,
                nodeJvmArgs, out);
    }

    /** Every fifth delivery is also read, and every tenth send is preceded by a typing frame: the library's defaults. */
    static final int READ_EVERY = 5;
    static final int TYPING_EVERY = 10;

    /**
     * As above, on {@code nodes} nodes sharing the store: device i connects to node {@link #nodeOf}(i),
     * so that about {@code (nodes - 1) / nodes} of the deliveries cross nodes. With {@code sideTraffic}
     * recipients answer each delivery with a delivered receipt (and one in {@link #READ_EVERY} with a
     * read), and senders precede one message in {@link #TYPING_EVERY} with a typing frame, as the
     * library's devices do. With {@code cacheRecent > 0} the store is behind a Redis cache of the last
     * {@code cacheRecent} messages a chat; each round then reports the cache's hits and misses and
     * Redis's CPU a message.
     */
    public static Map<String, Object> run(Path dir, int nodes, boolean sideTraffic, String store, int shards, int cacheRecent,
                                          int connections, int fanOut, double messagesPerSecond, int seconds, int rounds,
                                          String transport, List<String> nodeJvmArgs, PrintStream out) throws Exception {
        if (nodes > 1 && store.equals("rocksdb")) {
            throw new IllegalArgumentException("rocksdb is node-local (pinned homes): the throughput bench runs it on one node");
        }
        if (!STORES.contains(store)) {
            throw new IllegalArgumentException("the throughput bench runs on " + String.join(", ", STORES) + "; got " + store);
        }
        Transport sockets = NativeTransport.named(transport);
        List<String> jvmArgs = new ArrayList<>(List.of(nodes > 1 ? "-Xmx1g" : "-Xmx2g", "-XX:+UseParallelGC"));
        // The node and the load generator run on the same socket transport.
        jvmArgs.add("-D" + NativeTransport.PROPERTY + "=" + sockets.name());
        jvmArgs.addAll(nodeJvmArgs);
        int group = fanOut + 1;
        int chats = connections / group;
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (int c = 0; c < chats; c++) {
            List<String> users = new ArrayList<>();
            for (int m = 0; m < group; m++) {
                users.add("t" + (c * group + m));
            }
            members.put("k" + c, users);
        }
        boolean nodeLocal = store.equals("rocksdb");
        if (nodeLocal) {
            // A node-local store is seeded before its node opens it (a running node holds its lock); a
            // folder of an earlier bench is removed first, as a shared store is emptied.
            deleteTree(RocksDbChatStore.nodeDir(dir.toAbsolutePath(), "n1"));
            StoreSeeder.seedRocksDbHomes(dir.toAbsolutePath(), (Ownership.PinnedHome) Ownership.pinnedHome(List.of("n1")), members);
        }
        Map<String, String> nodeArgs = new LinkedHashMap<>(Map.of("rate", "100000", "burst", "100000", "fanout", "push", "pg-pool", "16"));
        if (cacheRecent > 0) {
            nodeArgs.put("cache", "redis");
            nodeArgs.put("cache-recent", String.valueOf(cacheRecent));
        }
        ClusterLauncher node = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, nodes).withStore(store).withStoreShards(shards)
                .withNodeArgs(nodeArgs).withJvmArgs(jvmArgs));
        if (!nodeLocal) {
            try {
                StoreSeeder.seedPostgres(node.storeUrl(), members, true);
            } catch (RuntimeException e) {
                // The rounds' finally is not reached yet: without this the node and its store outlive the bench.
                node.stop();
                throw e;
            }
        }
        List<Long> nodePids = node.nodes().stream().map(ClusterLauncher.NodeInfo::pid).toList();
        // PostgreSQL detaches from the process that started it: its servers are found by their data folders.
        // A node-local store's CPU is the node's own.
        List<Long> storePids = node.storeServerPids();
        Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2)).withTransport(sockets).build();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong delivered = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Schedule> current = new AtomicReference<>(new Schedule(-1, 0, 1, 0));
        AtomicReference<WorstWindows> windows = new AtomicReference<>(new WorstWindows(0, 0, 0));
        FrameCodec codec = new FrameCodec();
        ReceiptFrames receiptFrames = new ReceiptFrames(codec);
        List<Map<String, Object>> results = new ArrayList<>();
        try {
            List<Integer> ports = node.nodes().stream().map(ClusterLauncher.NodeInfo::port).toList();
            Tokens tokens = new Tokens(vertx, node.secret());
            List<WebSocketClient> clients = new ArrayList<>();
            for (int a = 1; a <= 4; a++) {
                clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                        .setLocalAddress("127.0.0." + a).setConnectTimeout(30_000).setTcpNoDelay(true)));
            }
            int users = chats * group;
            // Device i's socket and the event loop it lives on: each loop sends its own sockets'
            // messages, so no write crosses threads (a cross-thread write wakes the other loop).
            WebSocket[] socketOf = new WebSocket[users];
            EventLoop[] loopOf = new EventLoop[users];
            Map<EventLoop, Context> contextOf = new LinkedHashMap<>();
            List<Future<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                int device = i;
                String user = "t" + i;
                Promise<WebSocket> welcomed = Promise.promise();
                String token = tokens.issue(user, 3600);
                clients.get(i % clients.size()).connect(ports.get(nodeOf(i, nodes)), "127.0.0.1", "/ws").onComplete(ar -> {
                    if (ar.failed()) {
                        welcomed.fail(ar.cause());
                        return;
                    }
                    WebSocket ws = ar.result();
                    Context context = Vertx.currentContext();
                    EventLoop loop = ((ContextInternal) context).nettyEventLoop();
                    ws.textMessageHandler(text -> {
                        // Deliveries and acks are read with a string search, not the codec: the load
                        // generator must cost far less per message than the node it measures.
                        if (text.startsWith(DELIVER_PREFIX)) {
                            long at = current.get().scheduledNanos(field(text, CMID_KEY));
                            if (at >= 0) {
                                long micros = Math.max(0, (System.nanoTime() - at) / 1000);
                                synchronized (latency) {
                                    latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                                    windows.get().record(at, micros);
                                }
                                delivered.incrementAndGet();
                            }
                            String chat = field(text, CHAT_KEY);
                            long seq = number(text, SEQ_KEY);
                            if (sideTraffic && chat != null && seq > 0) {
                                ws.writeTextMessage(receiptFrames.delivered(chat, seq));
                                if (seq % READ_EVERY == 0) {
                                    ws.writeTextMessage(receiptFrames.read(chat, seq));
                                }
                            }
                        } else if (text.startsWith(ACK_PREFIX)) {
                            // Only this round's messages: acks of a previous round's backlog are not its throughput.
                            if (current.get().scheduledNanos(field(text, CMID_KEY)) >= 0) {
                                acked.incrementAndGet();
                            }
                        } else if ("welcome".equals(field(text, TYPE_KEY))) {
                            synchronized (socketOf) {
                                socketOf[device] = ws;
                                loopOf[device] = loop;
                                contextOf.putIfAbsent(loop, context);
                            }
                            welcomed.tryComplete(ws);
                        }
                    });
                    ws.writeTextMessage(codec.encode(new Frame.Hello(user, "d1", token)));
                });
                opening.add(welcomed.future());
                if (opening.size() == 200) {
                    Future.all(opening).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
                    opening.clear();
                }
            }
            Future.all(opening).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            Map<EventLoop, Context> loops;
            synchronized (socketOf) {
                loops = new LinkedHashMap<>(contextOf);
            }
            double crossing = crossingFraction(chats, group, nodes);
            out.printf(Locale.ROOT, "%d connections open (%s) on %d node%s, %d chats of %d (fan-out %d), %.0f msg/s scheduled"
                            + " = %.0f deliveries/s, %.0f%% of them between devices on different nodes; %s%n",
                    users, sockets.name(), nodes, nodes == 1 ? "" : "s", chats, group, fanOut, messagesPerSecond,
                    messagesPerSecond * fanOut, 100 * crossing, sideTraffic
                            ? "each delivery answered with a delivered receipt, 1 in " + READ_EVERY + " read, 1 send in "
                            + TYPING_EVERY + " after a typing frame"
                            : "no receipts or typing");
            List<String> chatIds = new ArrayList<>(members.keySet());
            // A send frame is the codec's text for its chat with the cmid put in: one concatenation per message.
            String[] sendBefore = new String[chats];
            String[] sendAfter = new String[chats];
            String[] typing = new String[chats];
            for (int c = 0; c < chats; c++) {
                String text = codec.encode(new Frame.Send(chatIds.get(c), CMID_SLOT, "x"));
                int at = text.indexOf(CMID_SLOT);
                sendBefore[c] = text.substring(0, at);
                sendAfter[c] = text.substring(at + CMID_SLOT.length());
                typing[c] = codec.encode(new Frame.Typing(chatIds.get(c)));
            }
            long warmedSeconds = 0;
            int schedules = 0;
            for (int r = 0; r <= rounds; r++) {
                boolean warmUp = r == 0;
                long length = !warmUp ? seconds : warmedSeconds == 0 ? WARM_UP_SECONDS : WARM_UP_STEP_SECONDS;
                long compilingBefore = compilerNanos(nodePids);
                synchronized (latency) {
                    latency.reset();
                }
                delivered.set(0);
                acked.set(0);
                Cpu cpuBefore = Cpu.now(nodePids, storePids);
                long redisBefore = cacheRecent > 0 ? ProcessCpu.treeNanos(node.redisPid()) : 0;
                CacheCounters cacheBefore = cacheRecent > 0 ? CacheCounters.read(node) : null;
                long start = System.nanoTime();
                windows.set(new WorstWindows(start, System.currentTimeMillis(), length));
                long gapNanos = (long) (1e9 / messagesPerSecond);
                long total = (long) (messagesPerSecond * length);
                Schedule schedule = new Schedule(schedules++, start, gapNanos, total);
                current.set(schedule);
                // One timer per event loop; each walks the whole schedule and sends the messages of its own sockets.
                List<Long> timers = new ArrayList<>();
                CountDownLatch started = new CountDownLatch(loops.size());
                for (Map.Entry<EventLoop, Context> entry : loops.entrySet()) {
                    EventLoop loop = entry.getKey();
                    entry.getValue().runOnContext(v -> {
                        long[] next = {0};
                        long timer = vertx.setPeriodic(1, id -> {
                            long now = System.nanoTime();
                            long i;
                            while ((i = next[0]) < total && start + i * gapNanos <= now) {
                                next[0] = i + 1;
                                int c = (int) (i % chats);
                                int sender = c * group + (int) ((i / chats) % group);
                                if (loopOf[sender] == loop) {
                                    if (sideTraffic && i % TYPING_EVERY == 0) {
                                        socketOf[sender].writeTextMessage(typing[c]);
                                    }
                                    socketOf[sender].writeTextMessage(sendBefore[c] + schedule.cmid(i) + sendAfter[c]);
                                }
                            }
                        });
                        synchronized (timers) {
                            timers.add(timer);
                        }
                        started.countDown();
                    });
                }
                started.await();
                Thread.sleep(TimeUnit.SECONDS.toMillis(length) + 2_000);

                synchronized (timers) {
                    timers.forEach(vertx::cancelTimer);
                }
                Cpu cpu = Cpu.now(nodePids, storePids).minus(cpuBefore);
                double compiling = cpu.nodeNanos() <= 0 ? 0 : (double) (compilerNanos(nodePids) - compilingBefore) / cpu.nodeNanos();
                double elapsed = length;
                Histogram snapshot;
                synchronized (latency) {
                    snapshot = latency.copy();
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("store", store.equals("postgres-sharded") ? store + "/" + shards : store);
                result.put("nodes", nodes);
                result.put("cross_node_fraction", crossing);
                result.put("side_traffic", sideTraffic);
                result.put("fan_out", fanOut);
                result.put("scheduled_messages", total);
                result.put("acked_messages", acked.get());
                result.put("deliveries", delivered.get());
                result.put("deliveries_per_second", delivered.get() / elapsed);
                result.put("p50_ms", snapshot.getValueAtPercentile(50) / 1000.0);
                result.put("p99_ms", snapshot.getValueAtPercentile(99) / 1000.0);
                result.put("p999_ms", snapshot.getValueAtPercentile(99.9) / 1000.0);
                result.put("max_ms", snapshot.getMaxValue() / 1000.0);
                result.put("node_cpu_us_per_msg", cpu.nodeNanos() / 1000.0 / total);
                result.put("node_cpu_us_per_delivery", delivered.get() == 0 ? Double.NaN : cpu.nodeNanos() / 1000.0 / delivered.get());
                result.put("store_cpu_us_per_msg", cpu.storeNanos() / 1000.0 / total);
                result.put("bench_cpu_us_per_msg", cpu.benchNanos() / 1000.0 / total);
                if (warmUp) {
                    // One line a warm-up step: the steps only show the nodes settling.
                    out.printf(Locale.ROOT, "warm-up to %d s: %.0f deliveries/s, p99 %.1f ms, nodes %.0f us CPU a message,"
                                    + " %.0f%% of it the JIT compilers'%n", warmedSeconds + length, delivered.get() / elapsed,
                            snapshot.getValueAtPercentile(99) / 1000.0, cpu.nodeNanos() / 1000.0 / total, 100 * compiling);
                } else {
                    out.printf(Locale.ROOT, "round %d: %d msgs scheduled, %d acked (persisted), %d deliveries = %.0f/s;"
                                    + " latency from scheduled send p50 %.1f ms, p99 %.1f ms, p999 %.1f ms, max %.1f ms%n",
                            r, total, acked.get(), delivered.get(), delivered.get() / elapsed,
                            snapshot.getValueAtPercentile(50) / 1000.0, snapshot.getValueAtPercentile(99) / 1000.0,
                            snapshot.getValueAtPercentile(99.9) / 1000.0, snapshot.getMaxValue() / 1000.0);
                    out.printf(Locale.ROOT, "  CPU per message: node%s %.0f us (JIT compilers %.0f%% of it), store (%s) %.0f us,"
                                    + " load generator %.0f us; load average %.1f%n", nodes == 1 ? "" : "s (all " + nodes + ")",
                            cpu.nodeNanos() / 1000.0 / total, 100 * compiling,
                            nodeLocal ? store + ", in the node" : store, cpu.storeNanos() / 1000.0 / total,
                            cpu.benchNanos() / 1000.0 / total, ManagementFactory.getOperatingSystemMXBean()
                                    .getSystemLoadAverage());
                    if (cacheRecent > 0) {
                        CacheCounters cache = CacheCounters.read(node);
                        result.put("cache", "redis/" + cacheRecent);
                        result.put("cache_hits", cache.hits() - cacheBefore.hits());
                        result.put("cache_misses", cache.misses() - cacheBefore.misses());
                        result.put("cache_failures", cache.failures() - cacheBefore.failures());
                        result.put("redis_cpu_us_per_msg", (ProcessCpu.treeNanos(node.redisPid()) - redisBefore) / 1000.0 / total);
                        out.printf(Locale.ROOT, "  cache: %d hits, %d misses, %d failures; Redis CPU %.0f us a message%n",
                                result.get("cache_hits"), result.get("cache_misses"), result.get("cache_failures"),
                                result.get("redis_cpu_us_per_msg"));
                    }
                    List<String> worst;
                    synchronized (latency) {
                        worst = windows.get().worst(3, 20_000);
                    }
                    if (!worst.isEmpty()) {
                        out.println("  slowest 100 ms windows (by scheduled send time): " + String.join("; ", worst));
                    }
                }
                result.put("node_cpu_jit_share", compiling);
                if (warmUp) {
                    warmedSeconds += length;
                    if (compiling > JIT_QUIET_SHARE && warmedSeconds < WARM_UP_MAX_SECONDS) {
                        r--;
                    } else {
                        out.printf(Locale.ROOT, "warmed up after %d s%s%n", warmedSeconds, compiling > JIT_QUIET_SHARE
                                ? " (the most allowed; the compilers were still working)" : "");
                    }
                } else {
                    results.add(result);
                }
            }
            current.set(new Schedule(-1, 0, 1, 0));
            // The sockets close before Vert.x does: an io_uring loop that shuts down with sockets
            // still open has Netty print a RejectedExecutionException.
            List<Future<Void>> closing = new ArrayList<>();
            for (WebSocket ws : socketOf) {
                if (ws != null) {
                    closing.add(ws.close());
                }
            }
            Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            results.sort((a, b) -> Double.compare((double) a.get("p99_ms"), (double) b.get("p99_ms")));
            return results.get(results.size() / 2);
        } finally {
            vertx.close();
            node.stop();
        }
    }

    private static long compilerNanos(List<Long> nodePids) {
        return nodePids.stream().mapToLong(ProcessCpu::compilerNanos).sum();
    }

    /** A round's open-loop schedule: message i is due at {@code start + i * gap}; its cmid names the round and i. */
    record Schedule(int round, long startNanos, long gapNanos, long messages, String prefix) {

        Schedule(int round, long startNanos, long gapNanos, long messages) {
            this(round, startNanos, gapNanos, messages, "r" + round + "-");
        }

        String cmid(long i) {
            return prefix + i;
        }

        /** When the message with this cmid was due, or -1 if it is not one of this round's. */
        long scheduledNanos(String cmid) {
            if (cmid == null || !cmid.startsWith(prefix)) {
                return -1;
            }
            try {
                long i = Long.parseLong(cmid, prefix.length(), cmid.length(), 10);
                return i >= 0 && i < messages ? startNanos + i * gapNanos : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }

    /**
     * The node a device connects to: a mix of its number, so that the members of a chat (consecutive
     * numbers) land on nodes independently of one another.
     */
    static int nodeOf(int device, int nodes) {
        long h = device * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        return (int) Math.floorMod(h, (long) nodes);
    }

    /** The share of deliveries whose recipient sits on another node than the sender (every member sends in turn). */
    static double crossingFraction(int chats, int group, int nodes) {
        long pairs = 0;
        long crossing = 0;
        for (int c = 0; c < chats; c++) {
            for (int s = 0; s < group; s++) {
                for (int r = 0; r < group; r++) {
                    if (r != s) {
                        pairs++;
                        if (nodeOf(c * group + s, nodes) != nodeOf(c * group + r, nodes)) {
                            crossing++;
                        }
                    }
                }
            }
        }
        return pairs == 0 ? 0 : (double) crossing / pairs;
    }

    /** A recipient's receipts as the node's codec writes them, built by concatenation rather than encoded each time. */
    static final class ReceiptFrames {
        private static final String CHAT_SLOT = "CHAT-SLOT";
        private static final String SEQ_SLOT = "987654321987";
        private final Template delivered;
        private final Template read;

        ReceiptFrames(FrameCodec codec) {
            long seqSlot = Long.parseLong(SEQ_SLOT);
            delivered = Template.of(codec.encode(new Frame.Delivered(CHAT_SLOT, seqSlot)));
            read = Template.of(codec.encode(new Frame.Read(CHAT_SLOT, seqSlot)));
        }

        String delivered(String chat, long seq) {
            return delivered.fill(chat, seq);
        }

        String read(String chat, long seq) {
            return read.fill(chat, seq);
        }

        /** An encoded frame cut around its chat and seq, so that filling it in is one concatenation. */
        private record Template(String head, String middle, String tail, boolean chatFirst) {

            static Template of(String encoded) {
                int chat = encoded.indexOf(CHAT_SLOT);
                int seq = encoded.indexOf(SEQ_SLOT);
                int first = Math.min(chat, seq);
                int second = Math.max(chat, seq);
                int firstLength = chat < seq ? CHAT_SLOT.length() : SEQ_SLOT.length();
                int secondLength = chat < seq ? SEQ_SLOT.length() : CHAT_SLOT.length();
                return new Template(encoded.substring(0, first), encoded.substring(first + firstLength, second),
                        encoded.substring(second + secondLength), chat < seq);
            }

            String fill(String chat, long seq) {
                return chatFirst ? head + chat + middle + seq + tail : head + seq + middle + chat + tail;
            }
        }
    }

    /** How the node's codec starts a deliver and an ack (version first, then the type). */
    private static final String DELIVER_PREFIX = "{\"v\":1,\"type\":\"deliver\"";
    private static final String ACK_PREFIX = "{\"v\":1,\"type\":\"ack\"";
    private static final String TYPE_KEY = "\"type\":\"";
    private static final String CMID_KEY = "\"cmid\":\"";
    private static final String CHAT_KEY = "\"chat\":\"";
    private static final String SEQ_KEY = "\"seq\":";
    /** Stands for the cmid in the send frame encoded once per chat. */
    private static final String CMID_SLOT = "CMID-SLOT";

    /** The value of a string field ({@code key} is {@code "name":"}) in a frame the node wrote (no escapes in what the bench reads). */
    static String field(String json, String key) {
        int from = json.indexOf(key);
        if (from < 0) {
            return null;
        }
        from += key.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    /** The value of a non-negative number field ({@code key} is {@code "name":}), or -1. */
    static long number(String json, String key) {
        int from = json.indexOf(key);
        if (from < 0) {
            return -1;
        }
        from += key.length();
        long v = 0;
        int i = from;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            v = v * 10 + (json.charAt(i) - '0');
            i++;
        }
        return i == from ? -1 : v;
    }

    /** CPU used so far by the node process, PostgreSQL (each server's postmaster and backends) and this load generator. */
    record Cpu(long nodeNanos, long storeNanos, long benchNanos) {

        static Cpu now(List<Long> nodePids, List<Long> storePids) {
            return new Cpu(nodePids.stream().mapToLong(ProcessCpu::nanos).sum(), storePids.stream().mapToLong(ProcessCpu::treeNanos).sum(),
                    ProcessCpu.nanos(ProcessHandle.current().pid()));
        }

        Cpu minus(Cpu before) {
            return new Cpu(nodeNanos - before.nodeNanos, storeNanos - before.storeNanos, benchNanos - before.benchNanos);
        }
    }

    /** Removes a folder of an earlier run, if there is one. */
    static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
