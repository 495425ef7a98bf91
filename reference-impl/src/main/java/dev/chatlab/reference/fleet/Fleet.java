package dev.chatlab.reference.fleet;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.client.ClientEffect;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import dev.chatlab.reference.auth.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The recording client fleet: chat-core {@link ClientDevice}s on real WebSockets
 * ({@link DeviceSocket}), all on one event loop, their timers in one {@link TimerWheel}, writing
 * one history. Each device connects to a node picked from the endpoint
 * list (skipping nodes that refused a connection in the last second), authenticates with a JWT
 * for its user, and records what it sees as the history format says. Sockets are spread over
 * several local addresses (127.0.0.x) when asked, since loopback offers about 28,000 client
 * ports per server address and port. One JVM holds at most about 19,900 sockets (open-file limit).
 *
 * <pre>{@code
 * Fleet fleet = Fleet.start(new Fleet.Settings(cluster.webSocketUrls(), cluster.secret(), ClientConfig.defaults(),
 *         seed, List.of("127.0.0.1")), historySink);
 * fleet.addDevice("alice", "phone");
 * fleet.act(fleet.now() + 1_000, "alice", "phone", new UserAction.GoOnline());
 * ...
 * fleet.close();
 * }</pre>
 */
public final class Fleet implements AutoCloseable {

    /** A node that refused a connection is not tried again for this long (unless none is left). */
    public static final long ENDPOINT_PENALTY_MICROS = 1_000_000;
    /** A connection attempt that has not opened by then counts as failed. */
    static final long CONNECT_TIMEOUT_MILLIS = 5_000;
    /**
     * A socket the fleet closes is let go after this long even if the node has not answered the
     * close (Vert.x waits 10 s by default): when every device closed its socket and opened a new
     * one at once (as the quiesce once had them do), a slow node made one 12,500-device process
     * hold 15,600 files.
     */
    static final int CLOSING_TIMEOUT_SECONDS = 1;
    /** How long a device's token is valid: longer than any run. */
    static final long TOKEN_TTL_SECONDS = 24 * 3600;
    /** The longest message a node may send a device. */
    static final int FRAME_BYTES_MAX = 1 << 20;
    /**
     * How long a caller waits for the event loop to get to its request. A loop that holds 12,500
     * devices on a machine shared with other work was seen 30 s behind, busy, not stuck.
     */
    static final long EVENT_LOOP_ANSWER_SECONDS = 120;

    /**
     * @param endpoints      the nodes' WebSocket URLs ({@code ws://host:port/ws})
     * @param secret         the cluster's JWT secret (tokens are issued per user, valid for a day)
     * @param client         the devices' settings
     * @param seed           seeds each device's random stream (reconnect jitter) and node choices
     * @param localAddresses source addresses to spread sockets over (e.g. 127.0.0.1 .. 127.0.0.8)
     */
    public record Settings(List<String> endpoints, String secret, ClientConfig client, long seed,
                           List<String> localAddresses) {
        public Settings {
            endpoints = List.copyOf(endpoints);
            localAddresses = List.copyOf(localAddresses);
        }
    }

    private final Settings settings;
    private final HistorySink history;
    private final Vertx vertx;
    private final ContextInternal context;
    private final Tokens tokens;
    private final FrameCodec codec = new FrameCodec(1 << 20);
    /** Source addresses to spread sockets over (port 0: any). */
    private final List<InetSocketAddress> locals = new ArrayList<>();
    private final List<URI> endpoints = new ArrayList<>();
    private final List<InetSocketAddress> remotes = new ArrayList<>();
    private final long[] endpointDownUntil;
    private final SplittableRandom random;
    private final Map<String, DeviceHost> devices = new LinkedHashMap<>();
    /** {@code System.nanoTime()} at the history's microsecond 0 (shared by every fleet process of a run). */
    private final long nanoZero;
    private final long epochMillis;
    private long lastT;
    /**
     * Set when the fleet stops: from then on it neither records nor sends anything, so whatever
     * another fleet process still records cannot stem from an event this one left out (a device
     * here that delivered a message unrecorded and sent its receipt to a watcher over there).
     * Volatile: it is set from the caller's thread at once, not queued behind a busy event loop.
     */
    private volatile boolean closing;
    /** Hashed, not sorted: several counts a frame; {@link #counters} hands out a sorted copy. */
    private final Map<String, AtomicLong> counters = new HashMap<>();
    private static final ClassValue<String> FRAMES_IN_BY_TYPE = counterNames("frames_in.");
    private static final ClassValue<String> FRAMES_OUT_BY_TYPE = counterNames("frames_out.");

    /** A counter's name for each frame class, made once ("frames_in.deliver"). */
    private static ClassValue<String> counterNames(String prefix) {
        return new ClassValue<>() {
            @Override
            protected String computeValue(Class<?> type) {
                return prefix + type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
            }
        };
    }
    private final FrontierTracker frontier = new FrontierTracker();
    /** Every timer of every device, on the event loop; made with the first timer. */
    private TimerWheel wheel;
    /** The periodic Vert.x timer that serves the wheel while it holds anything, or -1. */
    private long tickTimer = -1;
    /** How often the wheel is served: the 1 ms a Vert.x timer could be late by anyway. */
    static final long TICK_MILLIS = 1;
    /** Frames from the nodes a device takes; a test plants a loss by refusing some (see {@link #filterInbound}). */
    private volatile InboundFilter inbound = (user, device, frame) -> true;

    /** Which frames from the nodes reach a device. */
    @FunctionalInterface
    public interface InboundFilter {
        boolean keep(String user, String device, Frame frame);
    }

    private Fleet(Settings settings, HistorySink history, long nanoZero, long epochMillis) {
        this.settings = settings;
        this.history = HistorySink.all(history, frontier);
        this.nanoZero = nanoZero;
        this.epochMillis = epochMillis;
        // The nodes' transport (epoll on Linux): NIO's selector cost the fleet's one event loop more a frame.
        this.vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1))
                .withTransport(dev.chatlab.reference.cluster.NativeTransport.chosen()).build();
        this.context = (ContextInternal) vertx.getOrCreateContext();
        this.tokens = new Tokens(vertx, settings.secret());
        this.random = new SplittableRandom(settings.seed());
        for (String url : settings.endpoints()) {
            URI uri = URI.create(url);
            endpoints.add(uri);
            remotes.add(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
        this.endpointDownUntil = new long[endpoints.size()];
        for (String local : settings.localAddresses().isEmpty() ? List.of("127.0.0.1") : settings.localAddresses()) {
            locals.add(new InetSocketAddress(local, 0));
        }
    }

    /**
     * A fleet whose clock reads 0 now. {@code epochMillis} is the wall-clock time of microsecond 0
     * for the record only; the fleet's own clock is monotonic.
     */
    public static Fleet start(Settings settings, HistorySink history) {
        return new Fleet(settings, history, System.nanoTime(), System.currentTimeMillis());
    }

    /**
     * A fleet whose clock reads 0 at {@code nanoZero}, a {@code System.nanoTime()} reading of another
     * process on this host: the JVM reads CLOCK_MONOTONIC, which every process of one Linux host
     * shares, so the histories of several fleet processes given the same zero can be merged by t.
     */
    public static Fleet start(Settings settings, HistorySink history, long nanoZero) {
        return new Fleet(settings, history, nanoZero, System.currentTimeMillis());
    }

    /** Microseconds since the fleet started (the history's {@code t}). */
    public long now() {
        return (System.nanoTime() - nanoZero) / 1000;
    }

    public long epochMillis() {
        return epochMillis;
    }

    /** Creates a device; call before acting on it. Thread-safe. */
    public void addDevice(String user, String device) {
        runOnFleet(() -> {
            String key = user + "/" + device;
            if (!devices.containsKey(key)) {
                devices.put(key, new DeviceHost(user, device, new ClientDevice(user, device, settings.client(),
                        random.split()), locals.get(devices.size() % locals.size())));
            }
        });
    }

    /** Runs {@code action} on the device at fleet time {@code atMicros} (now if in the past). Thread-safe. */
    public void act(long atMicros, String user, String device, UserAction action) {
        long delayMillis = Math.max(0, (atMicros - now()) / 1000);
        Runnable run = () -> {
            DeviceHost host = devices.get(user + "/" + device);
            if (host != null) {
                host.apply(host.client.onUserAction(action, tick()));
            }
        };
        if (delayMillis == 0) {
            runOnFleet(run);
        } else {
            context.runOnContext(v -> schedule(atMicros, run));
        }
    }

    /** Records an event made from the fleet's current time, in order with the devices' events (member, quiesce). */
    public void record(LongFunction<HistoryEvent> event) {
        runOnFleet(() -> {
            if (!closing) {
                history.accept(event.apply(tick()));
            }
        });
    }

    /**
     * Drops every device connection to endpoint {@code endpoint} (an index into the settings'
     * endpoints) at once, as a network fault would: each device sees its connection lost and
     * reconnects as its reconnect policy says. Returns how many were dropped. Thread-safe.
     */
    public int disconnectAll(int endpoint) {
        return onLoop(() -> {
            int dropped = 0;
            for (DeviceHost d : devices.values()) {
                if (d.ws != null && d.endpoint == endpoint && !closing) {
                    d.drop("mass disconnect");
                    dropped++;
                }
            }
            return dropped;
        });
    }

    /** Waits until everything submitted so far on the fleet's event loop has run. */
    public void sync() {
        if (Vertx.currentContext() == context) {
            return; // on the loop itself, what was submitted from here has already run inline
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> done.complete(null));
        try {
            done.get(EVENT_LOOP_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fleet's event loop did not answer within " + EVENT_LOOP_ANSWER_SECONDS
                    + " s", e);
        }
    }

    /** Counts: connect attempts and failures, frames in and out, devices online. */
    public Map<String, Long> counters() {
        return onLoop(() -> {
            Map<String, Long> copy = new TreeMap<>();
            counters.forEach((k, c) -> copy.put(k, c.get()));
            long online = 0;
            for (DeviceHost d : devices.values()) {
                if (d.ws != null) {
                    online++;
                }
            }
            copy.put("sockets_open", online);
            copy.put("devices", (long) devices.size());
            return copy;
        });
    }

    /**
     * How far the devices have got (see {@link Frontier}), read on the event loop in order with
     * their events. Thread-safe.
     */
    public Frontier frontier() {
        return onLoop(() -> {
            int pending = 0;
            for (DeviceHost d : devices.values()) {
                pending += d.client.outboxSize();
            }
            return frontier.snapshot(pending);
        });
    }

    /**
     * Makes devices drop the frames {@code filter} refuses, as if the node never sent them: a
     * test's planted loss, which the run must report as one. Set before the devices connect.
     */
    public void filterInbound(InboundFilter filter) {
        this.inbound = filter;
    }

    /**
     * Stops the run's history here: no more events are recorded and no more frames sent, from
     * now on and not once the event loop gets to it. The sockets stay open until {@link #close}.
     */
    public void stop() {
        closing = true;
    }

    @Override
    public void close() {
        closing = true;
        sync();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(EVENT_LOOP_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fleet did not close", e);
        }
    }

    // ---- on the fleet's event loop ---------------------------------------------------------------

    /** Runs {@code work} on the event loop and waits for its answer (it may be queued behind a busy loop). */
    private <T> T onLoop(java.util.function.Supplier<T> work) {
        CompletableFuture<T> out = new CompletableFuture<>();
        runOnFleet(() -> out.complete(work.get()));
        try {
            return out.get(EVENT_LOOP_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the fleet's event loop did not answer within " + EVENT_LOOP_ANSWER_SECONDS
                    + " s", e);
        }
    }

    private void runOnFleet(Runnable r) {
        if (Vertx.currentContext() == context) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }

    /** Runs {@code task} on the loop at fleet time {@code atMicros}, from the one wheel every device's timers share. */
    private void schedule(long atMicros, Runnable task) {
        if (wheel == null) {
            wheel = new TimerWheel(now());
        }
        wheel.schedule(atMicros, task);
        if (tickTimer < 0) {
            tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> {
                wheel.runDue(now());
                if (wheel.size() == 0) {
                    vertx.cancelTimer(tickTimer);
                    tickTimer = -1;
                }
            });
        }
    }

    /** The fleet's time for an input: never behind the last one, so the history's t never goes back. */
    private long tick() {
        lastT = Math.max(lastT, now());
        return lastT;
    }

    private void count(String name) {
        counters.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    private int pickEndpoint() {
        long now = now();
        int start = random.nextInt(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            int e = (start + i) % endpoints.size();
            if (endpointDownUntil[e] <= now) {
                return e;
            }
        }
        return start;
    }

    /** One device: its state machine and its socket, if any. */
    private final class DeviceHost {
        final String user;
        final String device;
        final ClientDevice client;
        final InetSocketAddress local;
        DeviceSocket ws;
        /** The endpoint of the current or last connection attempt. */
        int endpoint = -1;
        /** Bumped when the device drops a transport, so late callbacks of the old one are ignored. */
        long generation;

        DeviceHost(String user, String device, ClientDevice client, InetSocketAddress local) {
            this.user = user;
            this.device = device;
            this.client = client;
            this.local = local;
        }

        void apply(List<ClientEffect> effects) {
            if (closing) {
                return;
            }
            for (ClientEffect effect : effects) {
                if (effect instanceof ClientEffect.Connect) {
                    connect();
                } else if (effect instanceof ClientEffect.Disconnect) {
                    generation++;
                    if (ws != null) {
                        ws.close();
                        ws = null;
                    }
                } else if (effect instanceof ClientEffect.SendFrame f) {
                    if (ws != null) {
                        Frame frame = f.frame();
                        if (frame instanceof Frame.Hello hello) {
                            // Issued at each hello, not kept: a token a user held for the whole run was about
                            // 250 bytes of every idle device, against some microseconds of signing a connection.
                            frame = new Frame.Hello(hello.user(), hello.device(), tokens.issue(user, TOKEN_TTL_SECONDS));
                        }
                        count("frames_out");
                        count(FRAMES_OUT_BY_TYPE.get(frame.getClass()));
                        ws.sendText(codec.encode(frame));
                    }
                } else if (effect instanceof ClientEffect.SetTimer t) {
                    String timer = t.timer();
                    schedule(t.atMicros(), () -> {
                        if (!closing) {
                            apply(client.onTimer(timer, tick()));
                        }
                    });
                } else if (effect instanceof ClientEffect.Record r) {
                    if (!closing) {
                        history.accept(r.event());
                    }
                }
            }
        }

        /** Ends the open connection from this side; the device is told its connection was lost. */
        void drop(String reason) {
            DeviceSocket socket = ws;
            ws = null;
            generation++;
            socket.close();
            apply(client.onDisconnected(tick(), reason));
        }

        void connect() {
            if (closing) {
                return;
            }
            long gen = ++generation;
            int e = pickEndpoint();
            endpoint = e;
            URI uri = endpoints.get(e);
            count("connect_attempts");
            DeviceSocket.connect(context, remotes.get(e), local, uri, FRAME_BYTES_MAX, CONNECT_TIMEOUT_MILLIS,
                    CLOSING_TIMEOUT_SECONDS, new DeviceSocket.Listener() {
                        @Override
                        public void opened(DeviceSocket socket) {
                            if (gen != generation) {
                                socket.close();
                                return;
                            }
                            ws = socket;
                            apply(client.onConnected(tick()));
                        }

                        @Override
                        public void failed(String why) {
                            if (gen != generation) {
                                return;
                            }
                            count("connect_failures");
                            endpointDownUntil[e] = now() + ENDPOINT_PENALTY_MICROS;
                            apply(client.onDisconnected(tick(), "connect to " + uri.getAuthority() + " failed"));
                        }

                        @Override
                        public void text(DeviceSocket socket, String text) {
                            if (ws != socket) {
                                return;
                            }
                            count("frames_in");
                            FrameCodec.Decoded d = codec.decode(text);
                            // By type too: which side traffic a run's devices get (receipts, typing, nudges...).
                            count(d.ok() ? FRAMES_IN_BY_TYPE.get(d.frame().getClass()) : "frames_in.undecodable");
                            if (d.ok() && !inbound.keep(user, device, d.frame())) {
                                return;
                            }
                            apply(client.onFrame(d.ok() ? d.frame() : d.error(), tick()));
                        }

                        @Override
                        public void closed(DeviceSocket socket, Short code) {
                            if (ws == socket) {
                                ws = null;
                                generation++;
                                apply(client.onDisconnected(tick(), "closed" + (code == null ? "" : " " + code)));
                            }
                        }
                    });
        }
    }
}
