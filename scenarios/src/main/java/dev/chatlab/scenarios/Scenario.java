package dev.chatlab.scenarios;

import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.chaos.Swarm;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import dev.chatlab.scenarios.model.NodeCosts;
import dev.chatlab.scenarios.slo.Slo;
import dev.chatlab.scenarios.world.StoreModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validated scenario: who talks (population), how much (workload), on what cluster (topology,
 * client, network, store), what goes wrong and when (faults), and for how long. Times are
 * microseconds of virtual time from the start of the run. Build one with {@link ScenarioLoader}.
 *
 * <pre>{@code
 * Scenario scenario = ScenarioLoader.load(Path.of("scenarios/library/smoke.yaml"));
 * long seed = scenario.seed() != null ? scenario.seed() : 1;
 * }</pre>
 *
 * @param name            a name for the run's output folder and reports
 * @param seed            the seed the file asks for, or null (the command line's --seed wins)
 * @param level           which model runs it: {@code full} state machines, or (later) a {@code coarse} aggregate
 * @param durationMicros  the run ends here
 * @param quiesceAtMicros from here on no fault fires, no new message is sent, offline devices reconnect and sync
 * @param convergeWithinMicros after the quiesce, how long a run may go on past {@code durationMicros} waiting
 *                        for every live device to have every message it is owed; a run that has not
 *                        converged by {@code quiesceAtMicros + convergeWithinMicros} stops and says so
 * @param slos            the objectives every run of it is judged by (the file's {@code slo:} list), in order
 * @param overrides       the command line's {@code --set KEY=VALUE} applied to the file, in order, as written
 * @param realStore       the store a real run starts ({@code store.kind}); the simulator models {@code store}
 * @param costs           what a chat node's work costs at the full level ({@code server.costs}, by default
 *                        {@link #COSTS_MODEL_DEFAULT}), or null: free (coarse level, or {@code costs: none})
 * @param realPresence    how a real cluster's nodes find each other and carry topics: {@code hazelcast} (its member
 *                        list and clustered event bus) or {@code redis} (presence keys with a TTL, pub/sub); the
 *                        simulator models neither
 */
public record Scenario(String name, Long seed, Level level, long durationMicros, long quiesceAtMicros,
                       long convergeWithinMicros, Topology topology,
                       Population population, Workload workload, Client client, Network network, StoreModel store,
                       Chaos chaos, Map<String, Object> coarse, List<Slo> slos, List<String> overrides, RealStore realStore,
                       NodeCosts costs, String realPresence) {

    /** Presence on Hazelcast unless a file says otherwise. */
    public static final String PRESENCE_DEFAULT = "hazelcast";

    /** With presence on Hazelcast, as before presence had a choice. */
    public Scenario(String name, Long seed, Level level, long durationMicros, long quiesceAtMicros,
                    long convergeWithinMicros, Topology topology,
                    Population population, Workload workload, Client client, Network network, StoreModel store,
                    Chaos chaos, Map<String, Object> coarse, List<Slo> slos, List<String> overrides, RealStore realStore,
                    NodeCosts costs) {
        this(name, seed, level, durationMicros, quiesceAtMicros, convergeWithinMicros, topology, population, workload, client,
                network, store, chaos, coarse, slos, overrides, realStore, costs, PRESENCE_DEFAULT);
    }

    /** As before the nodes' work had costs: free, presence on Hazelcast. */
    public Scenario(String name, Long seed, Level level, long durationMicros, long quiesceAtMicros,
                    long convergeWithinMicros, Topology topology,
                    Population population, Workload workload, Client client, Network network, StoreModel store,
                    Chaos chaos, Map<String, Object> coarse, List<Slo> slos, List<String> overrides, RealStore realStore) {
        this(name, seed, level, durationMicros, quiesceAtMicros, convergeWithinMicros, topology, population, workload,
                client, network, store, chaos, coarse, slos, overrides, realStore, null, PRESENCE_DEFAULT);
    }

    /** As before real store kinds existed: the topology's default store. */
    public Scenario(String name, Long seed, Level level, long durationMicros, long quiesceAtMicros,
                    long convergeWithinMicros, Topology topology,
                    Population population, Workload workload, Client client, Network network, StoreModel store,
                    Chaos chaos, Map<String, Object> coarse, List<Slo> slos, List<String> overrides) {
        this(name, seed, level, durationMicros, quiesceAtMicros, convergeWithinMicros, topology, population, workload, client,
                network, store, chaos, coarse, slos, overrides, RealStore.DEFAULT);
    }

    /**
     * The store of a real run.
     *
     * @param kind   postgres, postgres-sharded, cassandra or rocksdb; null: the topology's default (RocksDB per node for
     *               pinned homes, else PostgreSQL)
     * @param shards servers of postgres-sharded, 0 for the others
     * @param cache  the recent-message cache in front of it, or null for none
     * @param durability what an acknowledged write survives ({@code store.durability}), or null for {@link #DURABILITY_DEFAULT}
     */
    public record RealStore(String kind, int shards, RealCache cache, String durability) {
        public static final RealStore DEFAULT = new RealStore(null, 0, null, null);
        /** What an acknowledged write survives unless the file says: nothing beyond a clean stop (see docs/stores.md). */
        public static final String DURABILITY_DEFAULT = "memory";

        /** The file's {@code store.durability}, or {@link #DURABILITY_DEFAULT}. */
        public String durabilityOrDefault() {
            return durability != null ? durability : DURABILITY_DEFAULT;
        }

        public static final int SHARDS_DEFAULT = 2;

        public RealStore(String kind, int shards) {
            this(kind, shards, null, null);
        }

        public RealStore(String kind, int shards, RealCache cache) {
            this(kind, shards, cache, null);
        }

        public RealStore(String kind, int shards, String durability) {
            this(kind, shards, null, durability);
        }

        /** The kind a real run of {@code topology} starts. */
        public String kindFor(Topology topology) {
            return kind != null ? kind : topology.pinned() ? "rocksdb" : "postgres";
        }
    }

    /**
     * The recent-message cache of a real run ({@code store.cache}).
     *
     * @param kind   redis
     * @param recent messages kept per chat
     */
    public record RealCache(String kind, int recent) {
        public static final int RECENT_DEFAULT = 200;
    }

    public Scenario {
        slos = List.copyOf(slos);
        overrides = List.copyOf(overrides);
    }

    /**
     * The service times a full-level file's chat nodes get when it names none ({@code server.costs}):
     * those measured on the real node of this machine. {@code server.costs: none} makes the work free.
     */
    public static final String COSTS_MODEL_DEFAULT = "models/local-node.yaml";

    /** How long a run waits for convergence after the quiesce unless the file says otherwise. */
    public static final long CONVERGE_WITHIN_DEFAULT_MICROS = 60_000_000;

    /**
     * The shape of the first version (no level, network or store sections): the defaults fill
     * them in. Kept for callers that rebuild a scenario with a scaled population.
     */
    public Scenario(String name, Long seed, long durationMicros, long quiesceAtMicros, Topology topology,
                    Population population, Workload workload, Client client, List<Fault> faults) {
        this(name, seed, Level.FULL, durationMicros, quiesceAtMicros, CONVERGE_WITHIN_DEFAULT_MICROS, topology,
                population, workload, client,
                Network.defaults(), StoreModel.lsm(), Chaos.of(faults), Map.of(), List.of(), List.of());
    }

    /**
     * The kills, restarts and skews of the schedule in the first version's shape (a kill with a
     * {@code for} gives its restart too), for engines that only know those; every kind is in {@link #chaos()}.
     */
    public List<Fault> faults() {
        List<Fault> out = new ArrayList<>();
        for (FaultPlan.Scheduled s : chaos.schedule().faults()) {
            dev.chatlab.chaos.Fault f = s.fault();
            if (f instanceof dev.chatlab.chaos.Fault.Kill k) {
                out.add(new Fault.Kill(s.atMicros(), k.node()));
                if (k.downMicros() > 0) {
                    out.add(new Fault.Restart(s.atMicros() + k.downMicros(), k.node()));
                }
            } else if (f instanceof dev.chatlab.chaos.Fault.Restart r) {
                out.add(new Fault.Restart(s.atMicros(), r.node()));
            } else if (f instanceof dev.chatlab.chaos.Fault.ClockSkew k) {
                out.add(new Fault.Skew(s.atMicros(), k.node(), k.offsetMicros()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(Fault::atMicros));
        return List.copyOf(out);
    }

    /** A scheduled fault in the first version's shape: kill, restart or skew of one node. */
    public sealed interface Fault {
        long atMicros();

        String node();

        /** The node crashes: its sessions drop and the chats it owned move to other nodes. */
        record Kill(long atMicros, String node) implements Fault {
        }

        /** A crashed node comes back as a new cluster member. */
        record Restart(long atMicros, String node) implements Fault {
        }

        /** The node's clock is off by {@code offsetMicros} from then on. */
        record Skew(long atMicros, String node, long offsetMicros) implements Fault {
        }
    }

    /** This scenario with another population and workload, everything else kept (a real run scales them down). */
    public Scenario withPopulation(Population newPopulation, Workload newWorkload) {
        return new Scenario(name, seed, level, durationMicros, quiesceAtMicros, convergeWithinMicros, topology,
                newPopulation, newWorkload,
                client, network, store, chaos, coarse, slos, overrides, realStore, costs, realPresence);
    }

    /** The fidelity of the model that runs a scenario. */
    public enum Level {
        /** chat-core's server nodes and devices, every message: what the library runs. */
        FULL,
        /** An aggregate model (servers and store as queues) for populations too large for full state machines. */
        COARSE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The cluster's shape and the strategies under test.
     *
     * @param fencing           whether a new chat owner fences the old one at the store (false: the what-if "failover without fencing")
     * @param presenceTtlMicros a connection that sends nothing for this long is closed and its user shown offline
     * @param pinned            chats pinned to a home node, each node with a store of its own (a dead home's chats are
     *                          unavailable until it restarts); false: ownership follows membership over a shared store
     */
    public record Topology(int nodes, Sequencing sequencing, FanOut fanOut, Routing routing, boolean fencing,
                           long presenceTtlMicros, boolean pinned) {

        /** With fencing and the default presence TTL (30 s). */
        public Topology(int nodes, Sequencing sequencing, FanOut fanOut, Routing routing) {
            this(nodes, sequencing, fanOut, routing, true, 30_000_000L);
        }

        /** Ownership following membership, over a shared store. */
        public Topology(int nodes, Sequencing sequencing, FanOut fanOut, Routing routing, boolean fencing,
                        long presenceTtlMicros) {
            this(nodes, sequencing, fanOut, routing, fencing, presenceTtlMicros, false);
        }

        /** The servers' ownership strategy: pinned homes over every node, or following the live ones. */
        public Ownership ownership() {
            return pinned ? Ownership.pinnedHome(nodeIds()) : Ownership.followMembership();
        }

        /** One line for logs: {@code nodes=3 sequencing=owner-counter fanout=hybrid routing=direct}. */
        public String describe() {
            return "nodes=" + nodes + " sequencing=" + ScenarioWords.sequencing(sequencing)
                    + " fanout=" + fanOut.mode().name().toLowerCase(Locale.ROOT)
                    + " routing=" + routing.name().toLowerCase(Locale.ROOT)
                    + (fencing ? "" : " fencing=off") + (pinned ? " ownership=pinned" : "");
        }

        /** Node names, {@code n1..nN}: fault entries refer to them. */
        public List<String> nodeIds() {
            List<String> ids = new ArrayList<>(nodes);
            for (int i = 1; i <= nodes; i++) {
                ids.add("n" + i);
            }
            return ids;
        }
    }

    /**
     * Users {@code u1..uN}, each with devices {@code d1..dK}; chats {@code c1..cM} of {@code groupSize}
     * members, then {@code megaChats} more of {@code megaGroupSize} members each.
     */
    public record Population(int users, int devicesPerUser, int chats, int groupSize, int megaChats, int megaGroupSize,
                             GroupSizes groupSizes) {
        /** Every regular chat of {@code groupSize} members. */
        public Population(int users, int devicesPerUser, int chats, int groupSize, int megaChats, int megaGroupSize) {
            this(users, devicesPerUser, chats, groupSize, megaChats, megaGroupSize, GroupSizes.fixed());
        }

        /** Without mega chats. */
        public Population(int users, int devicesPerUser, int chats, int groupSize) {
            this(users, devicesPerUser, chats, groupSize, 0, 0);
        }
    }

    /**
     * How big the regular chats are: all {@code groupSize} ({@link #fixed()}), or drawn per chat
     * from a Zipf over 2..max (size {@code k} with weight {@code 1/(k-1)^exponent}): mostly pairs
     * and small groups, a few large ones.
     */
    public record GroupSizes(boolean zipf, double exponent, int max) {
        public static GroupSizes fixed() {
            return new GroupSizes(false, 0, 0);
        }

        public static GroupSizes zipf(double exponent, int max) {
            return new GroupSizes(true, exponent, max);
        }
    }

    /**
     * Who sends: any member of a uniformly drawn chat ({@link #uniform()}), or a user drawn from
     * a Zipf over the users who are in a chat (u1 the heaviest talker), into one of the user's chats.
     */
    public record Activity(boolean zipf, double exponent) {
        public static Activity uniform() {
            return new Activity(false, 0);
        }

        public static Activity zipf(double exponent) {
            return new Activity(true, exponent);
        }
    }

    /**
     * A day-like swing of the send rate: {@code rate * (1 + amplitude * sin(2 pi t / period))},
     * peak in the first half of each period. {@link #none()}: a constant rate.
     */
    public record Diurnal(double amplitude, long periodMicros) {
        public static Diurnal none() {
            return new Diurnal(0, 86_400_000_000L);
        }

        public boolean isNone() {
            return amplitude == 0;
        }
    }

    /**
     * @param messagesPerSecond total send rate over the whole population, Poisson arrivals
     * @param readProbability   chance that a message is followed by another member reading the chat
     * @param typingProbability chance that a message is preceded by its sender typing
     * @param watchPresence     every device asks to be told the presence of the members of its chats
     * @param churnPerSecond    rate (whole population, Poisson) at which a device goes offline for {@code offlineMicros}
     * @param offlineMicros     how long a churned device stays offline
     * @param diurnal           how the send rate swings over time (none: constant)
     * @param userActivity      who sends (uniform: any member of a random chat)
     * @param thinkTimeMicros   at least this long between two sends of one user (0: no minimum)
     * @param warmupMicros      messages first sent before this time of the run are checked like any other but left
     *                          out of the latency percentiles (a real cluster's JIT and caches warming up); 0: none
     */
    public record Workload(double messagesPerSecond, double readProbability, double typingProbability,
                           boolean watchPresence, double churnPerSecond, long offlineMicros, Diurnal diurnal,
                           Activity userActivity, long thinkTimeMicros, long warmupMicros) {
        /** No warm-up: latency over the whole run. */
        public Workload(double messagesPerSecond, double readProbability, double typingProbability,
                        boolean watchPresence, double churnPerSecond, long offlineMicros, Diurnal diurnal,
                        Activity userActivity, long thinkTimeMicros) {
            this(messagesPerSecond, readProbability, typingProbability, watchPresence, churnPerSecond, offlineMicros,
                    diurnal, userActivity, thinkTimeMicros, 0);
        }

        /**
         * The share of the send rate at {@code sinceStartMicros} into the workload: during the warm-up
         * it climbs linearly from 0, so a cold system is not handed a backlog; 1 after it, or with none.
         * Both engines thin their arrivals by it.
         */
        public double rampShare(long sinceStartMicros) {
            return sinceStartMicros >= warmupMicros ? 1 : (double) sinceStartMicros / warmupMicros;
        }

        /** This workload for a population {@code factor} times the size: the population-wide rates scaled, the rest kept. */
        public Workload scaled(double factor) {
            return new Workload(messagesPerSecond * factor, readProbability, typingProbability, watchPresence,
                    churnPerSecond * factor, offlineMicros, diurnal, userActivity, thinkTimeMicros, warmupMicros);
        }

        /** A constant rate, uniform senders, no think time. */
        public Workload(double messagesPerSecond, double readProbability, double typingProbability,
                        boolean watchPresence, double churnPerSecond, long offlineMicros) {
            this(messagesPerSecond, readProbability, typingProbability, watchPresence, churnPerSecond, offlineMicros,
                    Diurnal.none(), Activity.uniform(), 0);
        }

        /** Messages, reads and typing only: no presence watching, no churn. */
        public Workload(double messagesPerSecond, double readProbability, double typingProbability) {
            this(messagesPerSecond, readProbability, typingProbability, false, 0, 2_000_000);
        }
    }

    /**
     * How devices come back after losing their server, how often they ping, and (the simulator)
     * over how long they first come online, each at a random moment of it.
     */
    public record Client(ReconnectPolicy reconnect, long heartbeatMicros, long loginSpreadMicros, long fleetFrameMicros) {
        /** The simulator's logins when the file names none: all within a tenth of a second. */
        public static final long LOGIN_SPREAD_DEFAULT_MICROS = 100_000;
        /**
         * {@code login_spread: paced}: the simulator logs devices in as a real run's fleet does, and
         * starts the workload's and the faults' clock after the logins, as a real run does.
         */
        public static final long LOGIN_PACED = 0;

        /** Devices on their own, no shared loop ({@code fleet_frame} left out). */
        public Client(ReconnectPolicy reconnect, long heartbeatMicros, long loginSpreadMicros) {
            this(reconnect, heartbeatMicros, loginSpreadMicros, 0);
        }

        /** Whether logins are paced as in a real run ({@link #LOGIN_PACED}). */
        public boolean pacedLogins() {
            return loginSpreadMicros == LOGIN_PACED;
        }

        public Client(ReconnectPolicy reconnect, long heartbeatMicros) {
            this(reconnect, heartbeatMicros, LOGIN_SPREAD_DEFAULT_MICROS);
        }
    }

    /**
     * One kind of link: log-normal latency with this median and log-space spread, plus uniform
     * jitter in [0, jitter], and a loss probability per message.
     */
    public record Link(long medianMicros, double sigma, long jitterMicros, double loss) {
    }

    /** The links of the world, and how fast membership and connections notice trouble. */
    public record Network(Link client, Link node, Link store, long failureDetectionMicros, long connectTimeoutMicros) {
        /** What a file without a network section gets. */
        public static Network defaults() {
            return new Network(new Link(20_000, 0.5, 0, 0), new Link(200, 0.3, 0, 0), new Link(300, 0.3, 0, 0),
                    500_000, 3_000_000);
        }
    }

    /** A fault schedule (from the file, kinds as in {@link dev.chatlab.chaos.Fault}) and an optional seeded random mix. */
    public record Chaos(FaultPlan schedule, Swarm swarm) {
        public static Chaos none() {
            return new Chaos(FaultPlan.empty(), null);
        }

        /** A schedule of kills, restarts and skews in the first version's shape. */
        public static Chaos of(List<Fault> faults) {
            FaultPlan plan = FaultPlan.empty();
            for (Fault f : faults) {
                dev.chatlab.chaos.Fault fault;
                if (f instanceof Fault.Kill k) {
                    fault = new dev.chatlab.chaos.Fault.Kill(k.node(), 0);
                } else if (f instanceof Fault.Restart r) {
                    fault = new dev.chatlab.chaos.Fault.Restart(r.node());
                } else {
                    fault = new dev.chatlab.chaos.Fault.ClockSkew(f.node(), ((Fault.Skew) f).offsetMicros());
                }
                plan = plan.at(f.atMicros(), fault, "file");
            }
            return new Chaos(plan, null);
        }

        /** Faults the file schedules (a swarm's are drawn from the seed at run time). */
        public int scheduled() {
            return schedule.size();
        }
    }

    /** The resolved settings, every default filled in, in the words of the scenario file; reports embed it. */
    public Map<String, Object> settings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("level", level.word());
        out.put("duration", Durations.format(durationMicros));
        out.put("quiesce_at", Durations.format(quiesceAtMicros));
        out.put("converge_within", Durations.format(convergeWithinMicros));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("nodes", topology.nodes());
        t.put("sequencing", ScenarioWords.sequencing(topology.sequencing()));
        t.put("fanout", topology.fanOut().mode().name().toLowerCase(Locale.ROOT));
        if (topology.fanOut().mode() == FanOut.Mode.HYBRID) {
            t.put("hybrid_threshold", topology.fanOut().pullAboveMembers());
        }
        t.put("routing", topology.routing().name().toLowerCase(Locale.ROOT));
        t.put("fencing", topology.fencing());
        t.put("ownership", topology.pinned() ? "pinned" : "follow-membership");
        t.put("presence_ttl", Durations.format(topology.presenceTtlMicros()));
        out.put("topology", t);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("users", population.users());
        p.put("devices_per_user", population.devicesPerUser());
        p.put("chats", population.chats());
        p.put("group_size", population.groupSize());
        p.put("mega_chats", population.megaChats());
        p.put("mega_group_size", population.megaGroupSize());
        GroupSizes sizes = population.groupSizes();
        if (sizes.zipf()) {
            Map<String, Object> z = new LinkedHashMap<>();
            z.put("distribution", "zipf");
            z.put("exponent", sizes.exponent());
            z.put("max", sizes.max());
            p.put("group_sizes", z);
        } else {
            p.put("group_sizes", "fixed");
        }
        out.put("population", p);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("messages_per_second", workload.messagesPerSecond());
        w.put("read_probability", workload.readProbability());
        w.put("typing_probability", workload.typingProbability());
        w.put("watch_presence", workload.watchPresence());
        w.put("churn_per_second", workload.churnPerSecond());
        w.put("offline_time", Durations.format(workload.offlineMicros()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("amplitude", workload.diurnal().amplitude());
        d.put("period", Durations.format(workload.diurnal().periodMicros()));
        w.put("diurnal", d);
        if (workload.userActivity().zipf()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("distribution", "zipf");
            a.put("exponent", workload.userActivity().exponent());
            w.put("user_activity", a);
        } else {
            w.put("user_activity", "uniform");
        }
        w.put("think_time", Durations.format(workload.thinkTimeMicros()));
        if (workload.warmupMicros() > 0) {
            w.put("warmup", Durations.format(workload.warmupMicros()));
        }
        out.put("workload", w);
        Map<String, Object> c = new LinkedHashMap<>(ScenarioWords.reconnect(client.reconnect()));
        c.put("heartbeat", Durations.format(client.heartbeatMicros()));
        if (client.loginSpreadMicros() != Client.LOGIN_SPREAD_DEFAULT_MICROS) {
            // Only when named: the settings of a file without it read as they did before it existed.
            c.put("login_spread", client.pacedLogins() ? "paced" : Durations.format(client.loginSpreadMicros()));
        }
        if (client.fleetFrameMicros() > 0) {
            c.put("fleet_frame", Durations.format(client.fleetFrameMicros()));
        }
        out.put("client", c);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("client", link(network.client()));
        n.put("node", link(network.node()));
        n.put("store", link(network.store()));
        n.put("failure_detection", Durations.format(network.failureDetectionMicros()));
        n.put("connect_timeout", Durations.format(network.connectTimeoutMicros()));
        out.put("network", n);
        Map<String, Object> s = new LinkedHashMap<>();
        // Only when named: the settings (and so the digests) of a file without a store kind stay as they were.
        if (realStore.kind() != null) {
            s.put("kind", realStore.kind());
            if (realStore.shards() > 0) {
                s.put("shards", realStore.shards());
            }
        }
        if (realStore.cache() != null) {
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("kind", realStore.cache().kind());
            cache.put("recent", realStore.cache().recent());
            s.put("cache", cache);
        }
        if (realStore.durability() != null) {
            s.put("durability", realStore.durability());
        }
        if (store.ops() != null) {
            s.put("model", store.ops().source());
            s.put("ops", store.ops().words());
        } else {
            s.put("model", store.kind().name().toLowerCase(Locale.ROOT));
            s.put("write", Durations.format(store.writeMedianMicros()));
            s.put("read", Durations.format(store.readMedianMicros()));
            s.put("sigma", store.sigma());
            if (store.kind() == StoreModel.Kind.LSM) {
                s.put("compaction_every", store.compactionEveryWrites());
                s.put("compaction_stall", Durations.format(store.compactionStallMicros()));
            }
        }
        out.put("store", s);
        if (costs != null) {
            out.put("server", Map.of("costs", costs.words()));
        }
        // Only when not the default: the settings (and digests) of files that do not name it stay as they were.
        if (!PRESENCE_DEFAULT.equals(realPresence)) {
            out.put("presence", realPresence);
        }
        Map<String, Object> f = new LinkedHashMap<>();
        List<Map<String, Object>> schedule = new ArrayList<>();
        for (FaultPlan.Scheduled scheduled : chaos.schedule().faults()) {
            schedule.add(faultEntry(scheduled));
        }
        f.put("schedule", schedule);
        if (chaos.swarm() != null) {
            Swarm sw = chaos.swarm();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kinds", sw.kinds());
            m.put("faults_min", sw.faultsMin());
            m.put("faults_max", sw.faultsMax());
            m.put("from", Durations.format(sw.fromMicros()));
            m.put("until", Durations.format(sw.untilMicros()));
            m.put("down_max", Durations.format(sw.downMaxMicros()));
            m.put("spike_max", Durations.format(sw.spikeMaxMicros()));
            m.put("skew_max", Durations.format(sw.skewMaxMicros()));
            m.put("slow_factor_max", sw.slowFactorMax());
            f.put("swarm", m);
        }
        out.put("faults", f);
        if (!slos.isEmpty()) {
            // Only when present: the settings of a file without SLOs read as they did before SLOs existed.
            out.put("slo", slos.stream().map(Slo::text).toList());
        }
        return out;
    }

    private static Map<String, Object> link(Link link) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("median", Durations.format(link.medianMicros()));
        out.put("sigma", link.sigma());
        out.put("jitter", Durations.format(link.jitterMicros()));
        out.put("loss", link.loss());
        return out;
    }

    /** A scheduled fault in the file's words, e.g. {@code {at: 2s, kill: n1, for: 1s}}. */
    public static Map<String, Object> faultEntry(FaultPlan.Scheduled scheduled) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", Durations.format(scheduled.atMicros()));
        dev.chatlab.chaos.Fault fault = scheduled.fault();
        long lasts = 0;
        if (fault instanceof dev.chatlab.chaos.Fault.Kill k) {
            e.put("kill", k.node());
            lasts = k.downMicros();
        } else if (fault instanceof dev.chatlab.chaos.Fault.Restart r) {
            e.put("restart", r.node());
        } else if (fault instanceof dev.chatlab.chaos.Fault.ClockSkew s) {
            e.put("skew", s.node());
            e.put("by", Durations.format(s.offsetMicros()));
        } else if (fault instanceof dev.chatlab.chaos.Fault.Partition p) {
            e.put("partition", p.sides());
            lasts = p.durationMicros();
        } else if (fault instanceof dev.chatlab.chaos.Fault.OneWayCut c) {
            e.put("cut", c.from());
            e.put("to", c.to());
            lasts = c.durationMicros();
        } else if (fault instanceof dev.chatlab.chaos.Fault.Heal) {
            e.put("heal", "all");
        } else if (fault instanceof dev.chatlab.chaos.Fault.LatencySpike s) {
            e.put("spike", s.nodes().isEmpty() ? List.of("all") : s.nodes());
            e.put("by", Durations.format(s.extraMicros()));
            lasts = s.durationMicros();
        } else if (fault instanceof dev.chatlab.chaos.Fault.SlowDisk d) {
            e.put("slow_disk", d.factor());
            lasts = d.durationMicros();
        } else if (fault instanceof dev.chatlab.chaos.Fault.MassDisconnect m) {
            e.put("disconnect", m.node());
        } else if (fault instanceof dev.chatlab.chaos.Fault.StoreKill k) {
            e.put("store_kill", k.target());
            lasts = k.downMicros();
        }
        if (lasts > 0) {
            e.put("for", Durations.format(lasts));
        }
        if (!"file".equals(scheduled.origin())) {
            e.put("origin", scheduled.origin());
        }
        return e;
    }
}
