package dev.chatlab.reference.bench;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.ClusterLauncher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * How many idle, authenticated WebSocket sessions one chat node holds, and what each costs: a
 * node process (in-memory store) is started, {@code connections} devices connect and say hello
 * (spread over 127.0.0.x source addresses), and the node's RSS ({@code /proc/PID/status}) and
 * heap after a full GC ({@code jcmd PID GC.run}, then {@code /metrics}) are compared with the
 * idle node's (warmed by a few sessions first). Each of {@code rounds} rounds uses a fresh node
 * process; the median is reported.
 *
 * <pre>{@code
 * Map<String, Object> r = ConnectionsBench.run(Path.of("runs/bench-connections"), 2000, 3, System.out);
 * }</pre>
 */
public final class ConnectionsBench {

    static final int WARM_UP_CONNECTIONS = 300;
    /** A third of the protocol's default presence TTL (30 s). */
    static final long HEARTBEAT_MILLIS = 10_000;
    private static final String PING = new FrameCodec().encode(new Frame.Ping(0));
    /**
     * A node that holds connections rather than churning messages: a small young generation (the
     * handshakes' garbage never touches more than 8 MiB of pages) and a heap that gives memory back
     * after a collection. With a fixed large heap, RSS counts every page garbage ever touched.
     */
    static final List<String> NODE_JVM = List.of("-Xmx2g", "-Xms32m", "-Xmn8m", "-XX:+UseSerialGC",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20");

    private ConnectionsBench() {
    }

    public static Map<String, Object> run(Path dir, int connections, int rounds, PrintStream out) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            List<WebSocketClient> clients = new ArrayList<>();
            for (int a = 1; a <= 8; a++) {
                clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                        .setLocalAddress("127.0.0." + a).setConnectTimeout(30_000)));
            }
            double[] rssPerConn = new double[rounds];
            double[] heapPerConn = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                // A fresh node per round: RSS never shrinks, so a second round in the same process would
                // reuse the first round's memory and measure nothing.
                ClusterLauncher node = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir.resolve("round-" + (r + 1)), 1)
                        .withStore("memory").withNodeArgs(Map.of("rate", "1000", "burst", "1000"))
                        .withJvmArgs(NODE_JVM));
                long pid = node.nodes().get(0).pid();
                int port = node.nodes().get(0).port();
                Tokens tokens = new Tokens(vertx, node.secret());
                // Warm the node (JIT, buffer pools) with a few sessions first, so the baseline is a working node.
                List<WebSocket> warm = new ArrayList<>();
                open(clients, port, tokens, WARM_UP_CONNECTIONS, -1 - r, warm);
                for (WebSocket ws : warm) {
                    ws.close();
                }
                Thread.sleep(1_000);
                gc(pid);
                long rss0 = rssBytes(pid);
                long heap0 = heapBytes(port);
                long started = System.nanoTime();
                List<WebSocket> sockets = new CopyOnWriteArrayList<>();
                // An idle chat client still heartbeats; without it the node expires sessions that
                // waited longer than the presence TTL while the rest were opening.
                long heartbeats = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> {
                    for (WebSocket ws : sockets) {
                        ws.writeTextMessage(PING);
                    }
                });
                open(clients, port, tokens, connections, r, sockets);
                double openSeconds = (System.nanoTime() - started) / 1e9;
                Thread.sleep(1_000);
                gc(pid);
                long rss1 = rssBytes(pid);
                long heap1 = heapBytes(port);
                int sessions = sessions(port);
                classHistogram(pid, dir.resolve("round-" + (r + 1)).resolve("node-class-histogram.txt"));
                rssPerConn[r] = (rss1 - rss0) / (double) connections;
                heapPerConn[r] = (heap1 - heap0) / (double) connections;
                out.printf(Locale.ROOT, "round %d (node JVM " + String.join(" ", NODE_JVM) + "): %d sessions open in %.1f s; RSS %d -> %d MiB (%.1f KiB/conn), heap %d -> %d MiB"
                                + " (%.1f KiB/conn)%n", r + 1, sessions, openSeconds, rss0 >> 20, rss1 >> 20,
                        rssPerConn[r] / 1024, heap0 >> 20, heap1 >> 20, heapPerConn[r] / 1024);
                if (sessions < connections) {
                    throw new IllegalStateException("the node holds " + sessions + " sessions, expected " + connections);
                }
                List<Future<Void>> closing = new ArrayList<>();
                for (WebSocket ws : sockets) {
                    closing.add(ws.close());
                }
                vertx.cancelTimer(heartbeats);
                Future.all(closing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                node.stop();
            }
            double rss = median(rssPerConn) / 1024;
            double heap = median(heapPerConn) / 1024;
            out.printf(Locale.ROOT, "median of %d rounds at %d idle connections: %.1f KiB RSS and %.1f KiB heap per connection%n",
                    rounds, connections, rss, heap);
            return Map.of("connections", connections, "rounds", rounds, "rss_kib_per_connection", rss,
                    "heap_kib_per_connection", heap);
        } finally {
            vertx.close();
        }
    }

    private static void open(List<WebSocketClient> clients, int port, Tokens tokens, int n, int round, List<WebSocket> sockets)
            throws Exception {
        FrameCodec codec = new FrameCodec();
        List<Future<WebSocket>> opened = new ArrayList<>();
        int inFlightMax = 200;
        for (int i = 0; i < n; i++) {
            String user = "b" + round + "-" + i;
            String token = tokens.issue(user, 3600);
            WebSocketClient client = clients.get(i % clients.size());
            Promise<WebSocket> welcomed = Promise.promise();
            client.connect(port, "127.0.0.1", "/ws").onComplete(ar -> {
                if (ar.failed()) {
                    welcomed.fail(ar.cause());
                    return;
                }
                WebSocket ws = ar.result();
                ws.textMessageHandler(text -> {
                    if (text.contains("\"welcome\"")) {
                        welcomed.tryComplete(ws);
                    }
                });
                ws.writeTextMessage(codec.encode(new Frame.Hello(user, "d1", token)));
            });
            opened.add(welcomed.future());
            if (opened.size() == inFlightMax) {
                sockets.addAll(Future.all(opened).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS).list());
                opened.clear();
            }
        }
        sockets.addAll(Future.all(opened).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS).list());
    }

    static void gc(long pid) throws IOException, InterruptedException {
        jcmd(pid, null, "GC.run");
    }

    /** Where the held heap goes, for whoever wants to shrink it: the node's live objects by class. */
    static void classHistogram(long pid, Path file) throws IOException, InterruptedException {
        jcmd(pid, file, "GC.class_histogram");
    }

    private static void jcmd(long pid, Path output, String command) throws IOException, InterruptedException {
        ProcessBuilder jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), command).redirectErrorStream(true);
        jcmd.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        jcmd.start().waitFor(60, TimeUnit.SECONDS);
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    static long heapBytes(int port) throws IOException, InterruptedException {
        double used = 0;
        for (String line : get(port, "/metrics").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) used;
    }

    static int sessions(int port) throws IOException, InterruptedException {
        String health = get(port, "/health");
        int at = health.indexOf("\"sessions\":") + "\"sessions\":".length();
        return Integer.parseInt(health.substring(at, health.indexOf(',', at)));
    }

    static String get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
