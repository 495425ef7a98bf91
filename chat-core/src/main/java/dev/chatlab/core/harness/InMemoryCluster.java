package dev.chatlab.core.harness;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.client.ClientEffect;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.server.ChatServerNode;
import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.core.server.ServerEffect;
import dev.chatlab.core.store.InMemoryChatStore;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.core.strategy.Ownership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic, single-threaded host for chat nodes and devices: a seeded event queue in
 * virtual time, FIFO links with random latency, a shared in-memory store (or, with pinned
 * ownership, one store per node that outlives the node's crashes, as a disk does), node crashes
 * and restarts. It lets the protocol be tested without sockets or threads, and the same seed
 * replays the same run event for event.
 *
 * <pre>{@code
 * var cluster = new InMemoryCluster(seed, ServerConfig.defaults(), ClientConfig.defaults(), history::add);
 * cluster.addNodes("n1", "n2", "n3");
 * cluster.addDevice("alice", "phone");
 * cluster.seedChat("c1", List.of("alice", "bob"));
 * cluster.act(1_000, "alice", "phone", new UserAction.GoOnline());
 * cluster.act(50_000, "alice", "phone", new UserAction.SendMessage("c1", "m1", "hi"));
 * cluster.crash(80_000, "n2");
 * cluster.quiesce(2_000_000);
 * cluster.runUntil(10_000_000);
 * }</pre>
 */
public final class InMemoryCluster {

    /**
     * Link and store latencies, how long membership takes to notice a dead node, and the work a node
     * does for each device frame and peer message: each waits, in arrival order, until the node's one
     * core is free (0: no cost, every input takes effect on arrival).
     */
    public record Timing(long linkMinMicros, long linkJitterMicros, long storeMinMicros, long storeJitterMicros,
                         long failureDetectionMicros, long nodeServiceMicros) {
        public Timing(long linkMinMicros, long linkJitterMicros, long storeMinMicros, long storeJitterMicros,
                      long failureDetectionMicros) {
            this(linkMinMicros, linkJitterMicros, storeMinMicros, storeJitterMicros, failureDetectionMicros, 0);
        }

        public static Timing defaults() {
            return new Timing(200, 2_000, 300, 1_500, 500_000);
        }

        public Timing withNodeServiceMicros(long micros) {
            return new Timing(linkMinMicros, linkJitterMicros, storeMinMicros, storeJitterMicros, failureDetectionMicros, micros);
        }
    }

    private final SplittableRandom random;
    private final ServerConfig serverConfig;
    private final ClientConfig clientConfig;
    private final HistorySink history;
    private final Timing timing;
    private final InMemoryChatStore store = new InMemoryChatStore();
    /** Pinned ownership: each node's own store (its disk), kept across its crashes. */
    private final Map<String, InMemoryChatStore> localStores = new TreeMap<>();

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long order;

    private final TreeMap<String, NodeSlot> nodes = new TreeMap<>();
    private final LinkedHashMap<String, DeviceSlot> devices = new LinkedHashMap<>();
    private final Map<Long, DeviceSlot> deviceBySession = new HashMap<>();
    private final Map<String, Long> linkClock = new HashMap<>();
    private final Map<String, TreeSet<String>> subscribers = new TreeMap<>();
    /** Node links cut until the time given, by "a>b": peer messages sent over them are lost. */
    private final Map<String, Long> cutUntil = new TreeMap<>();
    /** Devices that always connect to a given node while it is up, by "user/device". */
    private final Map<String, String> pinnedGateways = new TreeMap<>();
    private long viewVersion;
    private long nextSession = 1;
    private boolean quiesced;

    private final Map<String, Long> counters = new TreeMap<>();

    public InMemoryCluster(long seed, ServerConfig serverConfig, ClientConfig clientConfig, HistorySink history) {
        this(seed, serverConfig, clientConfig, history, Timing.defaults());
    }

    public InMemoryCluster(long seed, ServerConfig serverConfig, ClientConfig clientConfig, HistorySink history,
                           Timing timing) {
        this.random = new SplittableRandom(seed);
        this.serverConfig = serverConfig;
        this.clientConfig = clientConfig;
        this.history = history;
        this.timing = timing;
    }

    public long now() {
        return now;
    }

    public InMemoryChatStore store() {
        return store;
    }

    /** The store that holds {@code chat}: the shared one, or with pinned ownership its home's own. */
    public InMemoryChatStore storeOfChat(String chat) {
        if (serverConfig.ownership() instanceof Ownership.PinnedHome pinned) {
            return storeOfNode(pinned.homeOf(chat));
        }
        return store;
    }

    /** The store {@code node} talks to: the shared one, or with pinned ownership its own. */
    public InMemoryChatStore storeOfNode(String node) {
        if (!serverConfig.ownership().pinned()) {
            return store;
        }
        return localStores.computeIfAbsent(node, n -> new InMemoryChatStore());
    }

    /** Counts of what happened: faults injected, store operations, peer messages handled by kind ({@code peer.DirectoryAck}). */
    public Map<String, Long> counters() {
        return Map.copyOf(counters);
    }

    // ---- building the world ----------------------------------------------------------------------

    public void addNodes(String... ids) {
        for (String id : ids) {
            NodeSlot slot = new NodeSlot(id, nodes.size() + 1);
            nodes.put(id, slot);
            slot.start();
        }
        at(now, this::publishView);
    }

    public ClientDevice addDevice(String user, String device) {
        DeviceSlot slot = new DeviceSlot(user, device,
                new ClientDevice(user, device, clientConfig, random.split()));
        devices.put(slot.key, slot);
        return slot.client;
    }

    /** Creates a chat with its first members, as the workload's starting state (recorded at the current time). */
    public void seedChat(String chat, List<String> members) {
        storeOfChat(chat).seedChat(chat, members);
        for (String user : members) {
            history.accept(new HistoryEvent.Member(now, chat, user, HistoryEvent.MemberOp.ADD));
        }
    }

    /** Sets a node's clock error, read only by clock-based sequencing. */
    public void skewClock(long atMicros, String node, long offsetMicros) {
        at(atMicros, () -> {
            NodeSlot slot = nodes.get(node);
            slot.clockOffset = offsetMicros;
            if (slot.up) {
                slot.node.setClockOffsetMicros(offsetMicros);
            }
            count("fault.clock-skew");
        });
    }

    /** The device connects to {@code node} whenever that node is up (else to any live node). */
    public void pinGateway(String user, String device, String node) {
        pinnedGateways.put(user + "/" + device, node);
    }

    // ---- scheduling --------------------------------------------------------------------------------

    public void act(long atMicros, String user, String device, UserAction action) {
        at(atMicros, () -> {
            if (quiesced && action instanceof UserAction.GoOffline) {
                return;
            }
            DeviceSlot slot = devices.get(user + "/" + device);
            slot.apply(slot.client.onUserAction(action, now));
        });
    }

    public void crash(long atMicros, String node) {
        at(atMicros, () -> {
            NodeSlot slot = nodes.get(node);
            if (quiesced || !slot.up) {
                return;
            }
            count("fault.node-crash");
            slot.crash();
            at(now + timing.failureDetectionMicros(), this::publishView);
        });
    }

    /**
     * Cuts the links between nodes {@code a} and {@code b} both ways for {@code forMicros}: what
     * either sends the other meanwhile is lost. Membership does not notice a cut this short, so
     * every node keeps its view (a partition that membership notices is a crash, for this harness).
     */
    public void cut(long atMicros, String a, String b, long forMicros) {
        at(atMicros, () -> {
            if (quiesced) {
                return;
            }
            count("fault.cut");
            cutUntil.put(a + ">" + b, now + forMicros);
            cutUntil.put(b + ">" + a, now + forMicros);
        });
    }

    public void restart(long atMicros, String node) {
        at(atMicros, () -> {
            NodeSlot slot = nodes.get(node);
            if (slot.up) {
                return;
            }
            count("fault.node-restart");
            restartNode(slot);
        });
    }

    /** From {@code atMicros} on: no more faults, cuts healed, every node back up, every offline device back online. */
    public void quiesce(long atMicros) {
        at(atMicros, () -> {
            quiesced = true;
            history.accept(new HistoryEvent.Quiesce(now));
            cutUntil.clear();
            for (NodeSlot slot : nodes.values()) {
                if (!slot.up) {
                    restartNode(slot);
                }
            }
            for (DeviceSlot slot : devices.values()) {
                slot.apply(slot.client.onUserAction(new UserAction.GoOnline(), now));
            }
        });
    }

    public void runUntil(long endMicros) {
        while (!queue.isEmpty() && queue.peek().at <= endMicros) {
            Event e = queue.poll();
            now = e.at;
            e.action.run();
        }
        now = Math.max(now, endMicros);
    }

    private void at(long atMicros, Runnable action) {
        queue.add(new Event(Math.max(atMicros, now), order++, action));
    }

    /** Schedules delivery over a FIFO link: never before the link's previous delivery. */
    private void over(String link, Runnable action) {
        long latency = timing.linkMinMicros() + random.nextLong(timing.linkJitterMicros() + 1);
        long when = Math.max(now + latency, linkClock.getOrDefault(link, 0L));
        linkClock.put(link, when);
        at(when, action);
    }

    /**
     * A restarted node is a new member (as a Hazelcast member is under a new UUID): the others
     * first see it leave, if membership had not noticed the crash yet, then join.
     */
    private void restartNode(NodeSlot slot) {
        publishView();
        slot.start();
        publishView();
    }

    private void publishView() {
        List<String> live = new ArrayList<>();
        for (NodeSlot slot : nodes.values()) {
            if (slot.up) {
                live.add(slot.id);
            }
        }
        ClusterView view = new ClusterView(++viewVersion, live);
        for (NodeSlot slot : nodes.values()) {
            if (slot.up) {
                slot.apply(slot.node.onClusterView(view, now));
            }
        }
    }

    private void count(String name) {
        counters.merge(name, 1L, Long::sum);
    }

    private String pickNode(DeviceSlot device) {
        String pinned = pinnedGateways.get(device.key);
        if (pinned != null && nodes.get(pinned).up) {
            return pinned;
        }
        List<String> live = new ArrayList<>();
        for (NodeSlot slot : nodes.values()) {
            if (slot.up) {
                live.add(slot.id);
            }
        }
        return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
    }

    // ---- hosts -------------------------------------------------------------------------------------

    private final class NodeSlot {
        final String id;
        final long number;
        boolean up;
        int incarnation;
        long clockOffset;
        /** When the node's core is through with the work queued so far. */
        long busyUntil;
        ChatServerNode node;
        final Map<String, Integer> timerGenerations = new HashMap<>();

        NodeSlot(String id, long number) {
            this.id = id;
            this.number = number;
        }

        void start() {
            up = true;
            incarnation++;
            busyUntil = now;
            node = new ChatServerNode(id, number, serverConfig);
            node.setClockOffsetMicros(clockOffset);
        }

        void crash() {
            up = false;
            incarnation++;
            for (var it = deviceBySession.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                DeviceSlot d = e.getValue();
                if (id.equals(d.node)) {
                    it.remove();
                    d.session = 0;
                    d.node = null;
                    over(id + ">" + d.key, () -> d.apply(d.client.onDisconnected(now, "node " + id + " died")));
                }
            }
            for (TreeSet<String> subs : subscribers.values()) {
                subs.remove(id);
            }
        }

        /** Runs an input against this node if it is still the same incarnation. */
        void deliver(int expectedIncarnation, java.util.function.Supplier<List<ServerEffect>> input) {
            if (up && incarnation == expectedIncarnation) {
                apply(input.get());
            }
        }

        /** As {@link #deliver}, once the node has done the input's work, after the work queued before it. */
        void work(int expectedIncarnation, java.util.function.Supplier<List<ServerEffect>> input) {
            if (timing.nodeServiceMicros() == 0) {
                deliver(expectedIncarnation, input);
                return;
            }
            if (!up || incarnation != expectedIncarnation) {
                return;
            }
            busyUntil = Math.max(now, busyUntil) + timing.nodeServiceMicros();
            at(busyUntil, () -> deliver(expectedIncarnation, input));
        }

        void apply(List<ServerEffect> effects) {
            int inc = incarnation;
            for (ServerEffect effect : effects) {
                if (effect instanceof ServerEffect.SendFrame f) {
                    DeviceSlot d = deviceBySession.get(f.session());
                    if (d != null) {
                        long session = f.session();
                        over(id + ">" + d.key, () -> {
                            if (d.session == session) {
                                d.apply(d.client.onFrame(f.frame(), now));
                            }
                        });
                    }
                } else if (effect instanceof ServerEffect.CloseSession c) {
                    DeviceSlot d = deviceBySession.remove(c.session());
                    // A session the device already left (it was replaced by a newer one) closes unseen.
                    if (d != null && d.session == c.session()) {
                        d.session = 0;
                        d.node = null;
                        over(id + ">" + d.key, () -> d.apply(d.client.onDisconnected(now, c.reason())));
                    }
                } else if (effect instanceof ServerEffect.Route r) {
                    sendPeer(r.node(), r.message());
                } else if (effect instanceof ServerEffect.Publish p) {
                    for (String target : new ArrayList<>(subscribers.getOrDefault(p.topic(), new TreeSet<>()))) {
                        sendPeer(target, p.message());
                    }
                } else if (effect instanceof ServerEffect.Subscribe s) {
                    subscribers.computeIfAbsent(s.topic(), t -> new TreeSet<>()).add(id);
                } else if (effect instanceof ServerEffect.Unsubscribe u) {
                    TreeSet<String> subs = subscribers.get(u.topic());
                    if (subs != null) {
                        subs.remove(id);
                    }
                } else if (effect instanceof ServerEffect.Store s) {
                    storeRoundTrip(inc, s.requestId(), s.op());
                } else if (effect instanceof ServerEffect.Push) {
                    count("push");
                } else if (effect instanceof ServerEffect.SetTimer t) {
                    at(t.atMicros(), () -> deliver(inc, () -> node.onTimer(t.timer(), now)));
                } else if (effect instanceof ServerEffect.Record r) {
                    history.accept(r.event());
                }
            }
        }

        void sendPeer(String target, PeerMessage message) {
            NodeSlot to = nodes.get(target);
            if (to == null) {
                return;
            }
            if (now < cutUntil.getOrDefault(id + ">" + target, Long.MIN_VALUE)) {
                count("peer.lost-on-cut");
                return;
            }
            int toIncarnation = to.incarnation;
            String from = id;
            over(id + ">" + target, () -> to.work(toIncarnation, () -> {
                count("peer." + message.getClass().getSimpleName());
                return to.node.onPeer(from, message, now);
            }));
        }

        /**
         * The store is a service of its own (or, pinned, the node's disk): an op applies even if the
         * node that sent it dies meanwhile.
         */
        void storeRoundTrip(int inc, long requestId, StoreOp op) {
            count("store.ops");
            long half = (timing.storeMinMicros() + random.nextLong(timing.storeJitterMicros() + 1)) / 2;
            String link = id + ">store";
            long arrive = Math.max(now + half, linkClock.getOrDefault(link, 0L));
            linkClock.put(link, arrive);
            InMemoryChatStore target = storeOfNode(id);
            at(arrive, () -> {
                StoreResult result = target.apply(op);
                String back = "store>" + id;
                long when = Math.max(now + half, linkClock.getOrDefault(back, 0L));
                linkClock.put(back, when);
                at(when, () -> deliver(inc, () -> node.onStored(requestId, result, now)));
            });
        }
    }

    private final class DeviceSlot {
        final String key;
        final ClientDevice client;
        long session;
        String node;
        int connectAttempt;

        DeviceSlot(String user, String device, ClientDevice client) {
            this.key = user + "/" + device;
            this.client = client;
        }

        void apply(List<ClientEffect> effects) {
            for (ClientEffect effect : effects) {
                if (effect instanceof ClientEffect.Connect) {
                    connect();
                } else if (effect instanceof ClientEffect.Disconnect) {
                    if (session != 0) {
                        NodeSlot n = nodes.get(node);
                        long s = session;
                        int inc = n.incarnation;
                        deviceBySession.remove(s);
                        session = 0;
                        node = null;
                        over(key + ">" + n.id, () -> n.deliver(inc, () -> n.node.onSessionClosed(s, now)));
                    }
                } else if (effect instanceof ClientEffect.SendFrame f) {
                    if (session != 0) {
                        NodeSlot n = nodes.get(node);
                        long s = session;
                        int inc = n.incarnation;
                        Frame frame = f.frame();
                        over(key + ">" + n.id, () -> n.work(inc, () -> n.node.onFrame(s, frame, now)));
                    }
                } else if (effect instanceof ClientEffect.SetTimer t) {
                    at(t.atMicros(), () -> apply(client.onTimer(t.timer(), now)));
                } else if (effect instanceof ClientEffect.Record r) {
                    history.accept(r.event());
                }
            }
        }

        void connect() {
            String target = pickNode(this);
            count("device.connect-attempts");
            if (target == null) {
                over(key + ">nowhere", () -> apply(client.onDisconnected(now, "no live node")));
                return;
            }
            NodeSlot n = nodes.get(target);
            int inc = n.incarnation;
            over(key + ">" + target, () -> {
                if (!n.up || n.incarnation != inc) {
                    apply(client.onDisconnected(now, "connection refused"));
                    return;
                }
                session = nextSession++;
                node = target;
                deviceBySession.put(session, this);
                apply(client.onConnected(now));
            });
        }
    }

    private record Event(long at, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
