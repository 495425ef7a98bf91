package dev.chatlab.sim.node;

import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.net.Liveness;
import dev.chatlab.sim.net.MessageReceiver;
import dev.chatlab.sim.net.SimNetwork;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The process table: nodes 0..n-1, each running one {@link NodeProcess} per incarnation, with
 * its own clock, disk and random stream, talking over a {@link SimNetwork}.
 *
 * <pre>{@code
 * Simulation sim = new Simulation();
 * RandomStreams random = RandomStreams.root(seed);
 * FaultCounters faults = new FaultCounters();
 * SimNetwork network = new SimNetwork(sim, random.stream("network"), faults);
 * SimNodes nodes = new SimNodes(sim, network, random.child("nodes"), faults);
 *
 * int server = nodes.add((node, incarnation) -> new ChatServerProcess());
 * int client = nodes.add((node, incarnation) -> new ChatClientProcess(server));
 * nodes.startAll();
 * sim.schedule(SimTime.seconds(30), () -> nodes.crashFor(server, SimTime.seconds(5)));
 * sim.runUntil(SimTime.minutes(2));
 * }</pre>
 *
 * <p>A crash loses the process object (its volatile state) and the disk's unsynced bytes, and
 * bumps the node's incarnation: timers and disk completions of the dead incarnation, and
 * messages in flight to it, are discarded when they come due. A restart creates a fresh process
 * from the node's factory, in the new incarnation, and calls its {@code onStart}.
 */
public final class SimNodes implements Liveness, MessageReceiver {

    private final Simulation sim;
    private final SimNetwork network;
    private final RandomStreams random;
    private final FaultCounters faults;
    private final int timerHandler;
    private final int diskHandler;
    private DiskProfile defaultDisk = DiskProfile.ssd();

    // Clocks, disks and streams are created on first use: a million devices that never touch a
    // disk or a skewed clock cost one array slot each, not three objects.
    private final List<NodeFactory> factories = new ArrayList<>();
    private NodeClock[] clocks = new NodeClock[16];
    private SimDisk[] disks = new SimDisk[16];
    private DiskProfile[] diskProfiles = new DiskProfile[16];
    private RandomStream[] streams = new RandomStream[16];
    private NodeProcess[] processes = new NodeProcess[16];
    private NodeContext[] contexts = new NodeContext[16];
    private int[] incarnations = new int[16];
    private boolean[] up = new boolean[16];
    private boolean[] started = new boolean[16];

    private long staleTimers;
    private long staleDiskCompletions;

    /** Registers itself as the network's receiver and liveness view. */
    public SimNodes(Simulation sim, SimNetwork network, RandomStreams random, FaultCounters faults) {
        this.sim = sim;
        this.network = network;
        this.random = random;
        this.faults = faults;
        this.timerHandler = sim.register(new TimerFired());
        this.diskHandler = sim.register(new DiskDone());
        network.setReceiver(this);
        network.setLiveness(this);
    }

    /** The disk profile of nodes added from now on (a node's own disk can change it: {@code disk(id).setProfile}). */
    public void setDefaultDisk(DiskProfile profile) {
        this.defaultDisk = profile;
    }

    /** Adds a node (down until started) and returns its id: ids are 0, 1, 2... in order of addition. */
    public int add(NodeFactory factory) {
        int node = factories.size();
        if (node == up.length) {
            int n = node * 2;
            processes = Arrays.copyOf(processes, n);
            contexts = Arrays.copyOf(contexts, n);
            incarnations = Arrays.copyOf(incarnations, n);
            up = Arrays.copyOf(up, n);
            started = Arrays.copyOf(started, n);
            clocks = Arrays.copyOf(clocks, n);
            disks = Arrays.copyOf(disks, n);
            diskProfiles = Arrays.copyOf(diskProfiles, n);
            streams = Arrays.copyOf(streams, n);
        }
        factories.add(factory);
        diskProfiles[node] = defaultDisk;
        return node;
    }

    public int size() {
        return factories.size();
    }

    // ---------------------------------------------------------------- lifecycle

    /** First start of a node: not a fault. */
    public void start(int node) {
        check(node);
        if (started[node]) {
            throw new IllegalStateException("node " + node + " was already started; use restart after a crash");
        }
        started[node] = true;
        launch(node);
    }

    /** Starts every node not started yet, in id order. */
    public void startAll() {
        for (int node = 0; node < size(); node++) {
            if (!started[node]) {
                start(node);
            }
        }
    }

    /** Fault: the node's process dies now. Counted as crash. */
    public void crash(int node) {
        check(node);
        if (!up[node]) {
            throw new IllegalStateException("node " + node + " is not up");
        }
        faults.record(FaultCounters.CRASH);
        up[node] = false;
        incarnations[node]++;
        processes[node] = null;
        contexts[node] = null;
        if (disks[node] != null) {
            disks[node].crash();
        }
    }

    /** Fault: a crashed node comes back as a fresh process in its new incarnation. Counted as restart. */
    public void restart(int node) {
        check(node);
        if (up[node] || !started[node]) {
            throw new IllegalStateException("node " + node + " is " + (up[node] ? "up" : "not started"));
        }
        faults.record(FaultCounters.RESTART);
        launch(node);
    }

    /** Crashes the node now and restarts it {@code downtimeMicros} later. */
    public void crashFor(int node, long downtimeMicros) {
        crash(node);
        sim.after(downtimeMicros, () -> restart(node));
    }

    private void launch(int node) {
        up[node] = true;
        NodeContext ctx = new NodeContext(this, node, incarnations[node]);
        NodeProcess process = factories.get(node).create(node, incarnations[node]);
        if (process == null) {
            throw new IllegalStateException("the factory of node " + node + " returned no process");
        }
        contexts[node] = ctx;
        processes[node] = process;
        process.onStart(ctx);
    }

    // ---------------------------------------------------------------- views

    @Override
    public boolean isUp(int node) {
        return node >= 0 && node < size() && up[node];
    }

    @Override
    public int incarnation(int node) {
        check(node);
        return incarnations[node];
    }

    /** The running process of a node, or null while it is down. */
    public NodeProcess process(int node) {
        check(node);
        return processes[node];
    }

    /** The context of the running incarnation, or null while the node is down. */
    public NodeContext context(int node) {
        check(node);
        return contexts[node];
    }

    /** The node's clock (created on first use, reading true time until skewed or drifted). */
    public NodeClock clock(int node) {
        check(node);
        NodeClock clock = clocks[node];
        if (clock == null) {
            clock = new NodeClock(sim, faults);
            clocks[node] = clock;
        }
        return clock;
    }

    /** The node's disk (created on first use, with the default disk profile of when the node was added). */
    public SimDisk disk(int node) {
        check(node);
        SimDisk disk = disks[node];
        if (disk == null) {
            disk = new SimDisk(sim, random.stream("disk", node), faults, diskProfiles[node]);
            disks[node] = disk;
        }
        return disk;
    }

    /** The node's local clock reading, without creating a clock for a node that has none. */
    long localNow(int node) {
        NodeClock clock = clocks[node];
        return clock == null ? sim.now() : clock.nowMicros();
    }

    /** When the node's clock reads {@code localMicros}, in true time (never before now). */
    long trueTimeAt(int node, long localMicros) {
        NodeClock clock = clocks[node];
        return clock == null ? Math.max(localMicros, sim.now()) : clock.trueTimeAt(localMicros);
    }

    RandomStream random(int node) {
        RandomStream stream = streams[node];
        if (stream == null) {
            // Named by node id, so creating it late gives the same numbers as creating it early.
            stream = random.stream("node", node);
            streams[node] = stream;
        }
        return stream;
    }

    Simulation simulation() {
        return sim;
    }

    SimNetwork network() {
        return network;
    }

    /** Timers of dead incarnations that came due and were discarded. */
    public long staleTimers() {
        return staleTimers;
    }

    /** Disk completions of dead incarnations that came due and were discarded. */
    public long staleDiskCompletions() {
        return staleDiskCompletions;
    }

    // ---------------------------------------------------------------- events

    long scheduleTimer(int node, int incarnation, long atMicros, Object timer) {
        if (timer == null) {
            throw new IllegalArgumentException("a timer needs a tag");
        }
        return sim.schedule(atMicros, timerHandler, node, incarnation, 0L, timer);
    }

    long diskRequest(int node, int incarnation, long completesAt, Object tag) {
        if (tag == null) {
            throw new IllegalArgumentException("a disk request needs a tag");
        }
        sim.schedule(completesAt, diskHandler, node, incarnation, 0L, tag);
        return completesAt;
    }

    @Override
    public void receive(int from, int to, Object message) {
        // The network has checked liveness and incarnation already.
        processes[to].onMessage(from, message, contexts[to]);
    }

    private boolean current(int node, int incarnation) {
        return up[node] && incarnations[node] == incarnation;
    }

    private void check(int node) {
        if (node < 0 || node >= size()) {
            throw new IllegalArgumentException("no node " + node + " (there are " + size() + ")");
        }
    }

    private final class TimerFired implements EventHandler {
        @Override
        public void onEvent(int node, int incarnation, long payload) {
            throw new IllegalStateException("a node timer lost its tag");
        }

        @Override
        public void onEvent(int node, int incarnation, long payload, Object timer) {
            if (current(node, incarnation)) {
                processes[node].onTimer(timer, contexts[node]);
            } else {
                staleTimers++;
            }
        }
    }

    private final class DiskDone implements EventHandler {
        @Override
        public void onEvent(int node, int incarnation, long payload) {
            throw new IllegalStateException("a disk completion lost its tag");
        }

        @Override
        public void onEvent(int node, int incarnation, long payload, Object tag) {
            if (current(node, incarnation)) {
                processes[node].onDiskDone(tag, contexts[node]);
            } else {
                staleDiskCompletions++;
            }
        }
    }
}
