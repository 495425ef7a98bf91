package dev.chatlab.reference.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process TCP proxy between clients and one server, with network faults on demand:
 * added latency (order kept), a bandwidth cap, a blackhole (bytes are swallowed, connections stay
 * open), and a reset of every connection (a mass disconnect: the thundering herd). Each fault
 * applied is counted. The fleet connects to the proxy's port instead of the node's.
 *
 * <pre>{@code
 * FaultProxy proxy = FaultProxy.start(vertx, 0, "127.0.0.1", nodePort);
 * proxy.latency(200);          // every chunk, both ways, 200 ms later
 * proxy.resetAll();            // every client connection drops now
 * proxy.clear();               // back to a plain proxy
 * Map<String, Long> faults = proxy.counts();
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    private final Vertx vertx;
    private final NetServer server;
    private final NetClient client;
    private final String targetHost;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile long latencyMillis;
    private volatile long bytesPerSecond;
    private volatile boolean blackhole;

    /** A client connection and its connection to the server. */
    private final class Link {
        final NetSocket front;
        NetSocket back;
        final Pipe up = new Pipe();
        final Pipe down = new Pipe();

        Link(NetSocket front) {
            this.front = front;
        }

        void close() {
            links.remove(this);
            front.close();
            if (back != null) {
                back.close();
            }
        }
    }

    /** One direction of a link: chunks leave in order, each no earlier than its latency and the bandwidth allow. */
    private final class Pipe {
        final ArrayDeque<Buffer> queue = new ArrayDeque<>();
        final ArrayDeque<Long> due = new ArrayDeque<>();
        long nextFreeNanos;
        boolean scheduled;

        void push(Buffer chunk, NetSocket to) {
            if (blackhole) {
                return;
            }
            long now = System.nanoTime();
            long at = now + TimeUnit.MILLISECONDS.toNanos(latencyMillis);
            long rate = bytesPerSecond;
            if (rate > 0) {
                long start = Math.max(at, nextFreeNanos);
                nextFreeNanos = start + chunk.length() * 1_000_000_000L / rate;
                at = nextFreeNanos;
            }
            if (at <= now && queue.isEmpty()) {
                to.write(chunk);
                return;
            }
            queue.add(chunk);
            due.add(at);
            drain(to);
        }

        void drain(NetSocket to) {
            long now = System.nanoTime();
            while (!queue.isEmpty() && due.peek() <= now) {
                due.poll();
                to.write(queue.poll());
            }
            if (!queue.isEmpty() && !scheduled) {
                scheduled = true;
                long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(due.peek() - now));
                vertx.setTimer(delayMillis, id -> {
                    scheduled = false;
                    drain(to);
                });
            }
        }
    }

    private FaultProxy(Vertx vertx, NetServer server, NetClient client, String targetHost, int targetPort) {
        this.vertx = vertx;
        this.server = server;
        this.client = client;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** A proxy on {@code listenPort} (0: a free one) of 127.0.0.1 to {@code targetHost:targetPort}. */
    public static FaultProxy start(Vertx vertx, int listenPort, String targetHost, int targetPort) {
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(listenPort)
                .setTcpNoDelay(true));
        NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
        FaultProxy proxy = new FaultProxy(vertx, server, client, targetHost, targetPort);
        server.connectHandler(proxy::accept);
        await(server.listen());
        return proxy;
    }

    public int port() {
        return server.actualPort();
    }

    private void accept(NetSocket front) {
        Link link = new Link(front);
        links.add(link);
        front.pause();
        client.connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                link.close();
                return;
            }
            NetSocket back = ar.result();
            link.back = back;
            front.handler(chunk -> link.up.push(chunk, back));
            back.handler(chunk -> link.down.push(chunk, front));
            front.closeHandler(v -> link.close());
            back.closeHandler(v -> link.close());
            front.exceptionHandler(e -> link.close());
            back.exceptionHandler(e -> link.close());
            front.resume();
        });
    }

    /** Adds {@code millis} to every chunk, both ways (0 removes it). */
    public void latency(long millis) {
        latencyMillis = millis;
        count("latency");
    }

    /** Caps each direction of each connection at {@code bytesPerSecond} (0 removes the cap). */
    public void bandwidth(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        count("bandwidth");
    }

    /** Swallows every byte, both ways, while on; connections stay open (a silent network). */
    public void blackhole(boolean on) {
        blackhole = on;
        if (on) {
            count("blackhole");
        }
    }

    /** Drops every connection now; returns how many there were. Clients reconnect through the proxy. */
    public int resetAll() {
        int n = 0;
        for (Link link : links.toArray(new Link[0])) {
            link.close();
            n++;
        }
        count("reset");
        return n;
    }

    /** Back to a plain proxy (faults counted so far stay counted). */
    public void clear() {
        latencyMillis = 0;
        bytesPerSecond = 0;
        blackhole = false;
    }

    public int connections() {
        return links.size();
    }

    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void count(String kind) {
        counts.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void close() {
        resetAll();
        await(server.close());
        await(client.close());
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        CompletableFuture<T> f = future.toCompletionStage().toCompletableFuture();
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the proxy could not start or stop: " + e.getMessage(), e);
        }
    }
}
