package dev.chatlab.scenarios.world;

import dev.chatlab.chaos.ChaosTarget;
import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.store.InMemoryChatStore;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.net.DropReason;
import dev.chatlab.sim.net.NodeSet;
import dev.chatlab.sim.net.SimNetwork;
import dev.chatlab.sim.node.SimNodes;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated chat world: chat-core's server nodes and client devices hosted on the sim-core
 * kernel, in virtual time, from one seed.
 * <ul>
 *   <li>Chat nodes are {@link SimNodes} processes that crash (losing everything volatile) and
 *       restart as new incarnations, each with its own {@link dev.chatlab.sim.node.NodeClock}.</li>
 *   <li>Devices, nodes and the store talk over a {@link SimNetwork}: ordered links with latency
 *       distributions per kind of link; partitions, one-way cuts and latency spikes as faults.</li>
 *   <li>Membership: each node gets a {@link ClusterView} of the nodes it can reach both ways,
 *       {@code failureDetectionMicros} after a crash, a partition or a heal (a restart is seen at
 *       once: first the node leaves, then it joins). A partition thus splits membership: each side
 *       owns chats by hashing over its own side.</li>
 *   <li>Discovery: a device connects to the node that rendezvous hashing of its user picks among
 *       the nodes the cluster lists as live (not partition-aware, as a DNS record is not).</li>
 *   <li>The store is a service on its own host with a {@link StoreModel} on its disk; it never
 *       crashes (its disk can slow down). Offline notifications go to a push sink that counts them.
 *       With pinned ownership every chat node has a store of its own instead (its local disk, on a
 *       host of its own that only that node talks to): its data outlives the node's crashes, and
 *       nobody else can serve it while the node is down.</li>
 *   <li>With {@link WorldConfig#costs()}, a node's work queues on its cores and takes effect when
 *       done ({@link NodeWork}); {@link #work(long)} says how busy each node was. Without, work is
 *       free and instant.</li>
 * </ul>
 *
 * <pre>{@code
 * ChatWorld world = new ChatWorld(WorldConfig.defaults(List.of("n1", "n2", "n3")), RandomStreams.root(seed), history);
 * world.addDevice("alice", "phone");
 * world.seedChat("c1", List.of("alice", "bob"));
 * world.start();
 * world.act(1_000, "alice", "phone", new UserAction.GoOnline());
 * new FaultInjector(world.simulation(), world).schedule(plan);
 * world.quiesce(6_000_000);
 * world.runUntil(10_000_000);
 * }</pre>
 */
public final class ChatWorld implements ChaosTarget {

    private final WorldConfig config;
    private final HistorySink history;
    private final Simulation sim = new Simulation(1 << 14);
    private final FaultCounters primitives = new FaultCounters();
    private final SimNetwork network;
    private final SimNodes nodes;
    private final RandomStream connectRandom;
    /** The shared store, or with pinned ownership one per chat node (index = the node's id). */
    private final List<InMemoryChatStore> stores = new ArrayList<>();
    private final RandomStreams deviceRandom;
    private final RandomStreams costRandom;
    /** Per chat node, what its cores did across its incarnations (empty without costs). */
    private final List<WorkStats> work = new ArrayList<>();

    private final List<String> nodeNames;
    private final Map<String, Integer> nodeIds = new HashMap<>();
    /** Host ids of the stores, parallel to {@link #stores}. */
    private final int[] storeIds;
    private final List<DeviceProcess> devices = new ArrayList<>();
    private final Map<String, DeviceProcess> deviceByKey = new HashMap<>();
    private final List<List<String>> viewOf = new ArrayList<>();
    private ClusterView discovery = new ClusterView(0, List.of());
    private long viewVersion;
    private final TreeMap<String, TreeSet<Integer>> topics = new TreeMap<>();
    private final Map<Long, long[]> cuts = new HashMap<>();
    private final Map<Long, long[]> spikes = new HashMap<>();
    private long nextHandle = 1;
    private long nextSession = 1;
    private boolean started;
    private boolean quiesced;

    private final TreeMap<String, Long> counters = new TreeMap<>();
    private TimeSeries connectAttempts = new TimeSeries(1_000_000);
    /** The recording fleet's one event loop that every device's frames go through, or null: devices on their own. */
    private WorkQueue fleetLoop;
    private long fleetFrameMicros;

    public ChatWorld(WorldConfig config, RandomStreams random, HistorySink history) {
        this.config = config;
        this.history = history;
        this.network = new SimNetwork(sim, random.stream("network"), primitives);
        this.nodes = new SimNodes(sim, network, random.child("hosts"), primitives);
        this.connectRandom = random.stream("connect");
        this.deviceRandom = random.child("devices");
        this.costRandom = random.child("costs");
        network.setDefaultLink(config.nodeLink());
        this.nodeNames = config.nodes();
        for (String name : nodeNames) {
            int id = nodes.add((node, incarnation) -> new ServerProcess(this, node, nodeNames.get(node)));
            nodeIds.put(name, id);
            viewOf.add(List.of());
            if (config.costs() != null) {
                work.add(new WorkStats());
            }
        }
        int storeCount = config.server().ownership().pinned() ? nodeNames.size() : 1;
        this.storeIds = new int[storeCount];
        for (int i = 0; i < storeCount; i++) {
            InMemoryChatStore store = new InMemoryChatStore();
            stores.add(store);
            RandomStream storeRandom = costRandom.stream("store", i);
            storeIds[i] = nodes.add((node, incarnation) -> new StoreProcess(this, store, config.store(), storeRandom));
            for (int n = 0; n < nodeNames.size(); n++) {
                if (storeCount == 1 || n == i) {
                    network.setLinkBothWays(n, storeIds[i], config.storeLink());
                }
            }
        }
    }

    // ---- building ----------------------------------------------------------------------------------

    public WorldConfig config() {
        return config;
    }

    public Simulation simulation() {
        return sim;
    }

    /** Buckets for the connect-attempts series (default 1 s); set before the run starts. */
    public void setSeriesBucketMicros(long bucketMicros) {
        connectAttempts = new TimeSeries(bucketMicros);
    }

    public void addDevice(String user, String device) {
        if (started) {
            throw new IllegalStateException("add devices before start()");
        }
        String key = user + "/" + device;
        ClientDevice client = new ClientDevice(user, device, config.client(), deviceRandom.stream(key));
        int id = nodes.add((node, incarnation) -> {
            DeviceProcess process = new DeviceProcess(this, client);
            devices.add(process);
            deviceByKey.put(key, process);
            return process;
        });
        for (int n = 0; n < nodeNames.size(); n++) {
            network.setLinkBothWays(id, n, config.clientLink());
        }
    }

    /** Creates a chat with its members (recorded as {@code member} events at the current time). */
    public void seedChat(String chat, List<String> members) {
        int home = config.server().ownership() instanceof Ownership.PinnedHome pinned ? nodeIds.get(pinned.homeOf(chat)) : 0;
        stores.get(home).seedChat(chat, members);
        for (String user : members) {
            history.accept(new HistoryEvent.Member(sim.now(), chat, user, HistoryEvent.MemberOp.ADD));
        }
    }

    /** Starts every host and gives the chat nodes their first view. */
    public void start() {
        started = true;
        nodes.startAll();
        publishViews();
    }

    // ---- driving -----------------------------------------------------------------------------------

    /** The user does {@code action} on the device at {@code atMicros}. After the quiesce, going offline is ignored. */
    public void act(long atMicros, String user, String device, UserAction action) {
        DeviceProcess target = deviceByKey.get(user + "/" + device);
        if (target == null) {
            throw new IllegalArgumentException("no device " + user + "/" + device);
        }
        sim.schedule(Math.max(atMicros, sim.now()), () -> {
            if (!(quiesced && action instanceof UserAction.GoOffline)) {
                target.act(action);
            }
        });
    }

    /**
     * From {@code atMicros}: no more faults; partitions healed, spikes ended, the disk restored,
     * every node up, membership whole, every device online and syncing.
     */
    public void quiesce(long atMicros) {
        sim.schedule(atMicros, () -> {
            quiesced = true;
            history.accept(new HistoryEvent.Quiesce(sim.now()));
            if (!cuts.isEmpty()) {
                network.healAll();
                cuts.clear();
            }
            network.endAllSpikes();
            spikes.clear();
            for (int storeId : storeIds) {
                nodes.disk(storeId).restoreSpeed();
            }
            for (String name : nodeNames) {
                if (!nodes.isUp(nodeIds.get(name))) {
                    restartNode(nodeIds.get(name));
                }
            }
            publishViews();
            for (DeviceProcess device : devices) {
                device.act(new UserAction.GoOnline());
            }
        });
    }

    public void runUntil(long endMicros) {
        sim.runUntil(endMicros);
    }

    public long now() {
        return sim.now();
    }

    public long eventsProcessed() {
        return sim.eventsProcessed();
    }

    @Override
    public boolean quiesced() {
        return quiesced;
    }

    // ---- faults (ChaosTarget) ------------------------------------------------------------------------

    @Override
    public boolean kill(String node) {
        int id = nodeId(node);
        if (id < 0 || !nodes.isUp(id)) {
            return false;
        }
        ServerProcess process = (ServerProcess) nodes.process(id);
        // The kernel of the dead host resets its connections: each device learns it one link delay later.
        for (Map.Entry<Long, Integer> e : process.connections().entrySet()) {
            network.send(id, e.getValue(), new Wire.Closed(e.getKey(), "node " + node + " died"));
        }
        nodes.crash(id);
        viewOf.set(id, List.of());
        for (TreeSet<Integer> subscribers : topics.values()) {
            subscribers.remove(id);
        }
        sim.after(config.failureDetectionMicros(), this::publishViews);
        return true;
    }

    @Override
    public boolean restart(String node) {
        int id = nodeId(node);
        if (id < 0 || nodes.isUp(id)) {
            return false;
        }
        restartNode(id);
        return true;
    }

    /** A restarted node is a new member: the others first see it leave (if they had not yet), then join. */
    private void restartNode(int id) {
        publishViews();
        nodes.restart(id);
        publishViews();
    }

    @Override
    public long partition(List<List<String>> sides) {
        List<Long> made = new ArrayList<>();
        for (int a = 0; a < sides.size(); a++) {
            for (int b = a + 1; b < sides.size(); b++) {
                made.add(network.partition(set(sides.get(a)), set(sides.get(b))));
            }
        }
        sim.after(config.failureDetectionMicros(), this::publishViews);
        return remember(cuts, made);
    }

    @Override
    public long cutOneWay(List<String> from, List<String> to) {
        sim.after(config.failureDetectionMicros(), this::publishViews);
        return remember(cuts, List.of(network.cutOneWay(set(from), set(to))));
    }

    @Override
    public boolean heal(long handle) {
        long[] made = cuts.remove(handle);
        if (made == null) {
            return false;
        }
        for (long cut : made) {
            network.heal(cut);
        }
        sim.after(config.failureDetectionMicros(), this::publishViews);
        return true;
    }

    @Override
    public boolean healAll() {
        if (cuts.isEmpty()) {
            return false;
        }
        network.healAll();
        cuts.clear();
        sim.after(config.failureDetectionMicros(), this::publishViews);
        return true;
    }

    @Override
    public long spikeLatency(List<String> nodeList, long extraMicros) {
        if (nodeList.isEmpty()) {
            return remember(spikes, List.of(network.spikeLatency(NodeSet.all(), NodeSet.all(), extraMicros)));
        }
        NodeSet set = set(nodeList);
        int[] ids = ids(nodeList);
        return remember(spikes, List.of(network.spikeLatency(set, NodeSet.all(), extraMicros),
                network.spikeLatency(NodeSet.allExcept(ids), set, extraMicros)));
    }

    @Override
    public boolean endSpike(long handle) {
        long[] made = spikes.remove(handle);
        if (made == null) {
            return false;
        }
        for (long spike : made) {
            network.endSpike(spike);
        }
        return true;
    }

    @Override
    public boolean skewClock(String node, long offsetMicros) {
        int id = nodeId(node);
        if (id < 0) {
            return false;
        }
        nodes.clock(id).injectSkew(offsetMicros);
        return true;
    }

    @Override
    public boolean slowDisk(double factor) {
        for (int storeId : storeIds) {
            nodes.disk(storeId).slowDown(factor);
        }
        return true;
    }

    @Override
    public boolean restoreDisk() {
        if (nodes.disk(storeIds[0]).slowdown() == 1.0) {
            return false;
        }
        for (int storeId : storeIds) {
            nodes.disk(storeId).restoreSpeed();
        }
        return true;
    }

    @Override
    public boolean massDisconnect(String node) {
        int id = nodeId(node);
        if (id < 0 || !nodes.isUp(id)) {
            return false;
        }
        // A node holding no device is still hit (it was up and reachable): the counter shows how many dropped.
        int dropped = ((ServerProcess) nodes.process(id)).dropAll("mass disconnect of " + node);
        counters.merge("mass-disconnect.connections-dropped", (long) dropped, Long::sum);
        return true;
    }

    private long remember(Map<Long, long[]> table, List<Long> made) {
        long handle = nextHandle++;
        table.put(handle, made.stream().mapToLong(Long::longValue).toArray());
        return handle;
    }

    private int[] ids(List<String> names) {
        int[] out = new int[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nodeId(names.get(i));
            if (out[i] < 0) {
                throw new IllegalArgumentException("no chat node " + names.get(i));
            }
        }
        return out;
    }

    private NodeSet set(List<String> names) {
        return NodeSet.of(ids(names));
    }

    // ---- membership and discovery --------------------------------------------------------------------

    /**
     * Gives every live node the view of the nodes it can reach both ways, if that changed; and
     * discovery the list of live nodes. Called when membership would notice a change.
     */
    private void publishViews() {
        List<String> live = new ArrayList<>();
        for (int id = 0; id < nodeNames.size(); id++) {
            if (nodes.isUp(id)) {
                live.add(nodeNames.get(id));
            }
        }
        discovery = new ClusterView(viewVersion, live);
        for (int id = 0; id < nodeNames.size(); id++) {
            if (!nodes.isUp(id)) {
                viewOf.set(id, List.of());
                continue;
            }
            List<String> members = new ArrayList<>();
            for (String other : live) {
                int o = nodeIds.get(other);
                if (o == id || (!network.isCut(id, o) && !network.isCut(o, id))) {
                    members.add(other);
                }
            }
            if (!members.equals(viewOf.get(id))) {
                viewOf.set(id, List.copyOf(members));
                count("membership.views");
                ((ServerProcess) nodes.process(id)).view(new ClusterView(++viewVersion, members));
            }
        }
    }

    /**
     * Every device's frames, in and out, go through one loop that spends {@code frameMicros} on
     * each, first come first served: a real run's recording fleet, one process whose one event loop
     * encodes, decodes and records every device's frames. Call before {@link #start()}.
     */
    public void shareOneFleetLoop(long frameMicros) {
        if (started || frameMicros <= 0) {
            throw new IllegalStateException("share the fleet's loop before start(), at a positive cost a frame");
        }
        this.fleetLoop = new WorkQueue(1, 0);
        this.fleetFrameMicros = frameMicros;
    }

    /** When a device frame arriving or leaving at {@code now} has been through the fleet's loop; {@code now} without one. */
    long fleetFrame(long now) {
        return fleetLoop == null ? now : fleetLoop.admit(now, fleetFrameMicros);
    }

    /** The node a device of {@code user} connects to, or -1 if discovery lists none. */
    int discover(String user) {
        return discover(user, -1);
    }

    /**
     * The node a device of {@code user} connects to when it avoids node {@code avoid} (-1: none), as
     * a client with a list of servers skips one that just failed it: discovery's next choice for the
     * user, or {@code avoid} itself when discovery lists no other.
     */
    int discover(String user, int avoid) {
        ClusterView listed = discovery;
        if (avoid >= 0 && listed.nodes().size() > 1 && listed.contains(nodeNames.get(avoid))) {
            List<String> others = new ArrayList<>(listed.nodes());
            others.remove(nodeNames.get(avoid));
            listed = new ClusterView(listed.version(), others);
        }
        String node = listed.ownerOf(user);
        return node == null ? -1 : nodeIds.get(node);
    }

    boolean isUp(int id) {
        return nodes.isUp(id);
    }

    /** A refused connection is known after a round trip on the device's link. */
    long refusedDelayMicros() {
        return 2 * config.clientLink().latency().sampleMicros(connectRandom);
    }

    long nextSession() {
        return nextSession++;
    }

    void connectAttempt() {
        count("device.connect-attempts");
        connectAttempts.add(sim.now());
    }

    // ---- services for the hosts ------------------------------------------------------------------------

    /**
     * The cores of a new incarnation of chat node {@code id}, or null without costs. Its service
     * times draw from a stream per incarnation, so a restart does not replay its predecessor's draws.
     */
    NodeWork nodeWork(int id) {
        if (config.costs() == null) {
            return null;
        }
        RandomStream random = costRandom.stream(nodeNames.get(id), nodes.incarnation(id));
        return new NodeWork(config.costs(), random, work.get(id));
    }

    int nodeId(String name) {
        Integer id = nodeIds.get(name);
        return id == null ? -1 : id;
    }

    String nodeName(int id) {
        return id < nodeNames.size() ? nodeNames.get(id) : "store";
    }

    /** The host of the store that chat node {@code node} talks to. */
    int storeIdOf(int node) {
        return storeIds.length == 1 ? storeIds[0] : storeIds[node];
    }

    Set<Integer> subscribers(String topic) {
        TreeSet<Integer> subs = topics.get(topic);
        return subs == null ? Set.of() : new TreeSet<>(subs);
    }

    void subscribe(String topic, int node) {
        topics.computeIfAbsent(topic, t -> new TreeSet<>()).add(node);
    }

    void unsubscribe(String topic, int node) {
        TreeSet<Integer> subs = topics.get(topic);
        if (subs != null) {
            subs.remove(node);
        }
    }

    void record(HistoryEvent event) {
        history.accept(event);
    }

    void count(String name) {
        counters.merge(name, 1L, Long::sum);
    }

    // ---- what happened ---------------------------------------------------------------------------------

    /** The world's counters: store, pushes, connection attempts, membership views, network traffic. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>(counters);
        out.put("network.sent", network.sent());
        out.put("network.delivered", network.delivered());
        for (DropReason reason : DropReason.values()) {
            long n = network.dropped(reason);
            if (n > 0) {
                out.put("network.dropped." + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), n);
            }
        }
        out.put("store.messages", stores.stream().mapToLong(InMemoryChatStore::messageCount).sum());
        out.put("sim.events", sim.eventsProcessed());
        return out;
    }

    /** Fault primitives the kernel counted (crash, restart, partition, heal, latency-spike, clock-skew, slow-disk). */
    public Map<String, Long> primitives() {
        return new LinkedHashMap<>(primitives.snapshot());
    }

    /**
     * Per chat node, what its cores did up to {@code endMicros}: work served, busy fraction, queue
     * delay p50/p99/max, attempts the accept backlog refused (empty without costs).
     */
    public Map<String, Object> work(long endMicros) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int id = 0; id < work.size(); id++) {
            out.put(nodeNames.get(id), work.get(id).summary(config.costs().cores(), endMicros));
        }
        return out;
    }

    public TimeSeries connectAttempts() {
        return connectAttempts;
    }

    /** Messages the devices are still trying to send (sent, neither acked nor failed nor given up). */
    public int pendingSends() {
        int n = 0;
        for (DeviceProcess device : devices) {
            n += device.outboxSize();
        }
        return n;
    }

    /** Devices with an open connection now. */
    public int connectedDevices() {
        int n = 0;
        for (DeviceProcess device : devices) {
            if (device.connected()) {
                n++;
            }
        }
        return n;
    }
}
