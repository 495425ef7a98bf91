package dev.chatlab.reference.bench;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.reference.store.StoreSeeder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliveries per second through one real chat node with every message persisted in PostgreSQL,
 * at an open-loop rate: {@code connections} devices in chats of {@code fanOut + 1} members; a
 * message is scheduled every 1/rate seconds whatever happened to the previous ones, and its
 * latency runs from that scheduled time to each delivery (no coordinated omission). The figures:
 * deliveries per second achieved, p50/p99/p999, and messages acknowledged (persisted).
 *
 * <pre>{@code
 * Map<String, Object> r = ThroughputBench.run(Path.of("runs/bench-tp"), 2000, 10, 2000, 20, 1, System.out);
 * }</pre>
 */
public final class ThroughputBench {

    static final long WARM_UP_SECONDS = 5;

    private ThroughputBench() {
    }

    /**
     * Runs the benchmark; {@code nodeJvmArgs} are added to the node process's JVM options (a
     * profiler, say: {@code -XX:StartFlightRecording=filename=node.jfr}).
     */
    public static Map<String, Object> run(Path dir, int connections, int fanOut, double messagesPerSecond, int seconds,
                                          int rounds, List<String> nodeJvmArgs, PrintStream out) throws Exception {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx2g", "-XX:+UseParallelGC"));
        jvmArgs.addAll(nodeJvmArgs);
        ClusterLauncher node = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, 1)
                .withNodeArgs(Map.of("rate", "100000", "burst", "100000", "fanout", "push", "pg-pool", "16"))
                .withJvmArgs(jvmArgs));
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
        StoreSeeder.seedPostgres(node.storeUrl(), members);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong delivered = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        Map<String, Long> scheduledNanos = new ConcurrentHashMap<>();
        FrameCodec codec = new FrameCodec();
        List<Map<String, Object>> results = new ArrayList<>();
        try {
            int port = node.nodes().get(0).port();
            Tokens tokens = new Tokens(vertx, node.secret());
            List<WebSocketClient> clients = new ArrayList<>();
            for (int a = 1; a <= 4; a++) {
                clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                        .setLocalAddress("127.0.0." + a).setConnectTimeout(30_000).setTcpNoDelay(true)));
            }
            Map<String, WebSocket> socketOf = new LinkedHashMap<>();
            List<Future<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < chats * group; i++) {
                String user = "t" + i;
                Promise<WebSocket> welcomed = Promise.promise();
                String token = tokens.issue(user, 3600);
                clients.get(i % clients.size()).connect(port, "127.0.0.1", "/ws").onComplete(ar -> {
                    if (ar.failed()) {
                        welcomed.fail(ar.cause());
                        return;
                    }
                    WebSocket ws = ar.result();
                    ws.textMessageHandler(text -> {
                        FrameCodec.Decoded d = codec.decode(text);
                        if (!d.ok()) {
                            return;
                        }
                        Frame f = d.frame();
                        if (f instanceof Frame.Deliver deliver) {
                            Long at = scheduledNanos.get(deliver.cmid());
                            if (at != null) {
                                long micros = Math.max(0, (System.nanoTime() - at) / 1000);
                                synchronized (latency) {
                                    latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                                }
                                delivered.incrementAndGet();
                            }
                        } else if (f instanceof Frame.Ack ack && scheduledNanos.containsKey(ack.cmid())) {
                            // Only this round's messages: acks of a previous round's backlog are not its throughput.
                            acked.incrementAndGet();
                        } else if (f instanceof Frame.Welcome) {
                            welcomed.tryComplete(ws);
                        }
                    });
                    ws.writeTextMessage(codec.encode(new Frame.Hello(user, "d1", token)));
                });
                opening.add(welcomed.future().map(ws -> {
                    synchronized (socketOf) {
                        socketOf.put(user, ws);
                    }
                    return ws;
                }));
                if (opening.size() == 200) {
                    Future.all(opening).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
                    opening.clear();
                }
            }
            Future.all(opening).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            out.printf(Locale.ROOT, "%d connections open, %d chats of %d (fan-out %d), %.0f msg/s scheduled = %.0f deliveries/s%n",
                    socketOf.size(), chats, group, fanOut, messagesPerSecond, messagesPerSecond * fanOut);
            List<String> chatIds = new ArrayList<>(members.keySet());
            for (int r = 0; r <= rounds; r++) {
                boolean warmUp = r == 0;
                long length = warmUp ? WARM_UP_SECONDS : seconds;
                synchronized (latency) {
                    latency.reset();
                }
                delivered.set(0);
                acked.set(0);
                long start = System.nanoTime();
                long gapNanos = (long) (1e9 / messagesPerSecond);
                long total = (long) (messagesPerSecond * length);
                String prefix = "r" + r + "-";
                AtomicLong next = new AtomicLong();
                long timer = vertx.setPeriodic(1, id -> {
                    long now = System.nanoTime();
                    long i;
                    while ((i = next.get()) < total && start + i * gapNanos <= now) {
                        next.incrementAndGet();
                        String chat = chatIds.get((int) (i % chatIds.size()));
                        List<String> group1 = members.get(chat);
                        String sender = group1.get((int) ((i / chatIds.size()) % group1.size()));
                        String cmid = prefix + i;
                        scheduledNanos.put(cmid, start + i * gapNanos);
                        WebSocket ws = socketOf.get(sender);
                        ws.writeTextMessage(codec.encode(new Frame.Send(chat, cmid, "x")));
                    }
                });
                Thread.sleep(TimeUnit.SECONDS.toMillis(length) + 2_000);
                vertx.cancelTimer(timer);
                double elapsed = length;
                Histogram snapshot;
                synchronized (latency) {
                    snapshot = latency.copy();
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("fan_out", fanOut);
                result.put("scheduled_messages", total);
                result.put("acked_messages", acked.get());
                result.put("deliveries", delivered.get());
                result.put("deliveries_per_second", delivered.get() / elapsed);
                result.put("p50_ms", snapshot.getValueAtPercentile(50) / 1000.0);
                result.put("p99_ms", snapshot.getValueAtPercentile(99) / 1000.0);
                result.put("p999_ms", snapshot.getValueAtPercentile(99.9) / 1000.0);
                result.put("max_ms", snapshot.getMaxValue() / 1000.0);
                out.printf(Locale.ROOT, "%s: %d msgs scheduled, %d acked (persisted), %d deliveries = %.0f/s;"
                                + " latency from scheduled send p50 %.1f ms, p99 %.1f ms, p999 %.1f ms, max %.1f ms%n",
                        warmUp ? "warm-up" : "round " + r, total, acked.get(), delivered.get(), delivered.get() / elapsed,
                        snapshot.getValueAtPercentile(50) / 1000.0, snapshot.getValueAtPercentile(99) / 1000.0,
                        snapshot.getValueAtPercentile(99.9) / 1000.0, snapshot.getMaxValue() / 1000.0);
                if (!warmUp) {
                    results.add(result);
                }
                scheduledNanos.clear();
            }
            results.sort((a, b) -> Double.compare((double) a.get("p99_ms"), (double) b.get("p99_ms")));
            return results.get(results.size() / 2);
        } finally {
            vertx.close();
            node.stop();
        }
    }
}
