package dev.chatlab.reference.cluster;

import dev.chatlab.reference.chaos.PacketFilter;
import dev.chatlab.stores.CassandraServer;
import dev.chatlab.stores.Durability;
import dev.chatlab.stores.EmbeddedPostgresServer;
import dev.chatlab.stores.RedisServer;
import dev.chatlab.stores.SharedStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real chat cluster as separate JVM processes on this machine: the shared store
 * (embedded PostgreSQL, unless the store is node-local or external) and N {@link NodeMain} nodes
 * joined by Hazelcast on loopback. Everything lives in one folder: {@code cluster.json} (ports,
 * pids, the JWT secret), and one log file per process under {@code logs/}. Chaos uses it too:
 * {@link #kill} is a {@code kill -9}, {@link #restart} starts the node again under the same name.
 *
 * <pre>{@code
 * ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(Path.of("runs/c1"), 3));
 * List<String> urls = cluster.webSocketUrls();   // ws://127.0.0.1:7101/ws ...
 * cluster.kill("n2");
 * cluster.restart("n2");
 * cluster.stop();
 * }</pre>
 */
public final class ClusterLauncher {

    /** How long a process may take to print READY. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * What to start.
     *
     * @param dir          the run folder
     * @param nodes        how many chat nodes (n1..nN)
     * @param store        postgres (embedded, or {@code pgUrl} if given), postgres-sharded ({@code storeShards}
     *                     embedded servers, chats placed by a hash of their id), cassandra (a Cassandra node, a process
     *                     of its own, or the cluster {@code pgUrl} names: cassandra://host:port/keyspace), rocksdb (node-local: implies pinned
     *                     ownership, each chat served only by its home node), memory (per node; one node only)
     * @param pgUrl        an external PostgreSQL (several URLs joined by commas: shards), or null to run the embedded one
     * @param basePort     n1's WebSocket/HTTP port; 0 picks free ports
     * @param nodeArgs     more {@code --key value} settings for every node (strategies, limits)
     * @param nodeJvmArgs  JVM options of each node process
     * @param storeShards  servers of a postgres-sharded store (default 2)
     * @param durability   what an acknowledged write survives, for the stores this launcher starts ({@link Durability})
     */
    public record Plan(Path dir, int nodes, String store, String pgUrl, int basePort, Map<String, String> nodeArgs,
                       List<String> nodeJvmArgs, int storeShards, Durability durability) {

        /** Servers of a sharded PostgreSQL unless a plan says otherwise. */
        public static final int STORE_SHARDS_DEFAULT = 2;

        public static Plan defaults(Path dir, int nodes) {
            List<String> jvm = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            // CHATLAB_NODE_JAVA_OPTS comes last, so it can override these (e.g. for an A/B of JIT settings).
            String extra = System.getenv("CHATLAB_NODE_JAVA_OPTS");
            if (extra != null && !extra.isBlank()) {
                jvm.addAll(List.of(extra.trim().split("\\s+")));
            }
            return new Plan(dir, nodes, "postgres", null, 0, Map.of(), List.copyOf(jvm), STORE_SHARDS_DEFAULT,
                    Durability.MEMORY);
        }

        public Plan withStore(String kind) {
            return new Plan(dir, nodes, kind, pgUrl, basePort, nodeArgs, nodeJvmArgs, storeShards, durability);
        }

        public Plan withBasePort(int port) {
            return new Plan(dir, nodes, store, pgUrl, port, nodeArgs, nodeJvmArgs, storeShards, durability);
        }

        public Plan withNodeArgs(Map<String, String> args) {
            return new Plan(dir, nodes, store, pgUrl, basePort, Map.copyOf(args), nodeJvmArgs, storeShards, durability);
        }

        public Plan withJvmArgs(List<String> args) {
            return new Plan(dir, nodes, store, pgUrl, basePort, nodeArgs, List.copyOf(args), storeShards, durability);
        }

        public Plan withStoreShards(int shards) {
            if (shards < 1) {
                throw new IllegalArgumentException("a sharded store needs at least 1 shard, got " + shards);
            }
            return new Plan(dir, nodes, store, pgUrl, basePort, nodeArgs, nodeJvmArgs, shards, durability);
        }

        public Plan withDurability(Durability d) {
            return new Plan(dir, nodes, store, pgUrl, basePort, nodeArgs, nodeJvmArgs, storeShards, d);
        }

        public Plan withPgUrl(String url) {
            return new Plan(dir, nodes, store, url, basePort, nodeArgs, nodeJvmArgs, storeShards, durability);
        }
    }

    /**
     * One node process as recorded in {@code cluster.json}: {@code hzOutboundFirst..hzOutboundLast}
     * are the ports its Hazelcast binds outgoing connections to (0 in a cluster.json written
     * before they existed), so that packet filtering can tell its links apart ({@link PacketFilter}).
     */
    public record NodeInfo(String name, int number, int port, int hzPort, int hzOutboundFirst, int hzOutboundLast, long pid) {
    }

    /** How many outbound ports each node's Hazelcast may bind its connections to (it needs one per peer, plus reconnects). */
    static final int HZ_OUTBOUND_PORTS = 32;

    private final Path dir;
    private final JsonObject state;

    private ClusterLauncher(Path dir, JsonObject state) {
        this.dir = dir;
        this.state = state;
    }

    /** Starts the store and the nodes and returns when every node listens. */
    public static ClusterLauncher start(Plan plan) throws IOException {
        Path dir = plan.dir().toAbsolutePath();
        Files.createDirectories(dir.resolve("logs"));
        JsonObject state = new JsonObject()
                .put("dir", dir.toString())
                .put("secret", HexFormat.of().formatHex(new SecureRandom().generateSeed(24)))
                .put("epoch_ms", System.currentTimeMillis())
                .put("store", new JsonObject().put("kind", plan.store()).put("durability", word(plan.durability())))
                .put("node_args", new JsonObject(new LinkedHashMap<String, Object>(plan.nodeArgs())))
                .put("node_jvm_args", new JsonArray(new ArrayList<Object>(plan.nodeJvmArgs())))
                .put("nodes", new JsonArray());
        ClusterLauncher cluster = new ClusterLauncher(dir, state);
        try {
            if (isShared(plan.store())) {
                if (plan.pgUrl() != null) {
                    state.getJsonObject("store").put("url", plan.pgUrl());
                } else if (plan.store().equals("cassandra")) {
                    cluster.startCassandra();
                } else {
                    cluster.startStore(plan.store().equals("postgres-sharded") ? plan.storeShards() : 0);
                }
            }
            if (needsRedis(plan.nodeArgs())) {
                cluster.startRedis();
            }
            for (int attempt = 1; ; attempt++) {
                cluster.planNodes(plan);
                try {
                    cluster.launchNodes();
                    break;
                } catch (IOException e) {
                    if (attempt >= NODE_START_ATTEMPTS || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                        throw e;
                    }
                    // Ports are chosen free, then bound by the node a moment later: on a machine shared
                    // with other runs, another process can take one in between. Choose them all again.
                    System.err.println("chatlab: a node's port was taken before it could listen on it; starting the"
                            + " nodes again on other ports (attempt " + (attempt + 1) + " of " + NODE_START_ATTEMPTS + ")");
                    for (NodeInfo n : cluster.nodes()) {
                        terminate(n.pid());
                    }
                }
            }
            cluster.save();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.save();
            cluster.stop();
            throw e;
        }
    }

    /** How many times the nodes are started on freshly chosen ports when one of them was taken. */
    static final int NODE_START_ATTEMPTS = 3;

    /** Chooses every node's ports (none listened on now) and writes them, with the address books, to the state. */
    private void planNodes(Plan plan) throws IOException {
        state.put("nodes", new JsonArray());
        List<Integer> ports = new ArrayList<>();
        List<Integer> hzPorts = new ArrayList<>();
        List<Integer> hzOutbound = new ArrayList<>();
        for (int i = 1; i <= plan.nodes(); i++) {
            ports.add(plan.basePort() > 0 ? plan.basePort() + i - 1 : freePort());
            hzPorts.add(freePort());
        }
        // Each node's port for its direct links to the others (TcpPeers), known to all up front.
        List<Integer> peerPorts = new ArrayList<>();
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= plan.nodes(); i++) {
            int p = freePort();
            while (ports.contains(p) || hzPorts.contains(p) || peerPorts.contains(p)) {
                p = freePort();
            }
            peerPorts.add(p);
            peers.add("n" + i + "=127.0.0.1:" + p);
        }
        List<Integer> listened = new ArrayList<>(hzPorts);
        listened.addAll(peerPorts);
        for (int i = 1; i <= plan.nodes(); i++) {
            hzOutbound.add(freePortRange(HZ_OUTBOUND_PORTS, ports, listened, hzOutbound));
        }
        List<String> members = new ArrayList<>();
        for (int hz : hzPorts) {
            members.add("127.0.0.1:" + hz);
        }
        state.put("hz_members", String.join(",", members));
        state.put("peers", String.join(",", peers));
        for (int i = 1; i <= plan.nodes(); i++) {
            state.getJsonArray("nodes").add(new JsonObject().put("name", "n" + i).put("number", i)
                    .put("port", ports.get(i - 1)).put("hz_port", hzPorts.get(i - 1)).put("peer_port", peerPorts.get(i - 1))
                    .put("hz_outbound_first", hzOutbound.get(i - 1))
                    .put("hz_outbound_last", hzOutbound.get(i - 1) + HZ_OUTBOUND_PORTS - 1).put("pid", -1L));
        }
    }

    /** Launches every node of the state and waits until each listens (or exits, which throws). */
    private void launchNodes() throws IOException {
        List<Process> started = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (NodeInfo node : nodes()) {
            offsets.add(logLength(logOf(node.name())));
            started.add(launchNode(node));
        }
        for (int i = 0; i < started.size(); i++) {
            awaitReady(nodes().get(i).name(), started.get(i), offsets.get(i));
        }
    }

    /** The cluster described by {@code dir/cluster.json}. */
    public static ClusterLauncher open(Path dir) throws IOException {
        Path file = dir.resolve("cluster.json");
        if (!Files.exists(file)) {
            throw new IOException("no cluster in " + dir + " (no cluster.json)");
        }
        return new ClusterLauncher(dir.toAbsolutePath(), new JsonObject(Files.readString(file)));
    }

    public Path dir() {
        return dir;
    }

    public String secret() {
        return state.getString("secret");
    }

    public long epochMillis() {
        return state.getLong("epoch_ms");
    }

    /** The shared store's URL (PostgreSQL), or null for node-local stores. */
    public String storeUrl() {
        return state.getJsonObject("store").getString("url");
    }

    public String storeKind() {
        return state.getJsonObject("store").getString("kind");
    }

    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>();
        for (Object o : state.getJsonArray("nodes")) {
            JsonObject n = (JsonObject) o;
            out.add(new NodeInfo(n.getString("name"), n.getInteger("number"), n.getInteger("port"),
                    n.getInteger("hz_port"), n.getInteger("hz_outbound_first", 0), n.getInteger("hz_outbound_last", 0),
                    n.getLong("pid")));
        }
        return out;
    }

    /** n1..nN: every node of the cluster, up or down (the homes of pinned ownership). */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (NodeInfo n : nodes()) {
            names.add(n.name());
        }
        return names;
    }

    public List<String> webSocketUrls() {
        List<String> urls = new ArrayList<>();
        for (NodeInfo n : nodes()) {
            urls.add("ws://127.0.0.1:" + n.port() + "/ws");
        }
        return urls;
    }

    /** The unified GC log of the node's JVMs: {@code logs/gc-n1-<pid>.log}, one per incarnation. */
    public Path gcLogOf(String node) {
        return dir.resolve("logs").resolve("gc-" + node + ".log");
    }

    /** The GC log of the store's own JVM (Cassandra's), or null for a store without one (PostgreSQL, node-local). */
    public Path storeGcLog() {
        String log = state.getJsonObject("store").getString("gc_log");
        return log == null ? null : Path.of(log);
    }

    public Path logOf(String node) {
        return dir.resolve("logs").resolve(node + ".log");
    }

    /**
     * The history events the node's server recorded itself (membership changes), every incarnation
     * of it, on the host's monotonic clock: see {@link NodeHistoryFile}.
     */
    public Path historyOf(String node) {
        return dir.resolve(node + "-history.jsonl");
    }

    /** {@code kill -9} of a node's process; returns false if it was not running. */
    public boolean kill(String node) {
        Optional<ProcessHandle> process = ProcessHandle.of(node(node).pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        process.get().destroyForcibly();
        try {
            process.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("node " + node + " did not die", e);
        }
        return true;
    }

    /** Starts a node that is down again, under the same name and ports, and waits until it listens. */
    public void restart(String node) throws IOException {
        NodeInfo info = node(node);
        if (isAlive(info.pid())) {
            return;
        }
        long offset = logLength(logOf(node));
        Process p = launchNode(info);
        awaitReady(node, p, offset);
        save();
    }

    public boolean isAlive(String node) {
        return isAlive(node(node).pid());
    }

    /** Stops every process: nodes first (SIGTERM, then SIGKILL after 10 s), then the store and Redis; removes its packet filter. */
    public void stop() {
        for (NodeInfo n : nodes()) {
            terminate(n.pid());
        }
        Long storePid = state.getJsonObject("store").getLong("pid");
        if (storePid != null) {
            terminate(storePid);
        }
        if (redisPid() > 0) {
            terminate(redisPid());
        }
        // After a store-kill, the servers a new StoreMain holds, and those whose StoreMain was killed with another shard.
        for (Object pid : state.getJsonObject("store").getJsonArray("supervisors", new JsonArray())) {
            terminate(((Number) pid).longValue());
        }
        if (storePid != null && storeKind().startsWith("postgres")) {
            storeServerPids().forEach(ClusterLauncher::terminate);
        }
        // A run that died before healing (or another process that opened the filter) leaves its chain: remove it.
        String chain = state.getString("packet_filter_chain");
        if (chain != null) {
            PacketFilter.remove(chain);
        }
    }

    /** This cluster's id: the same for every process that opens its folder. */
    public String id() {
        return Integer.toHexString(dir.toString().hashCode());
    }

    /**
     * An iptables filter that can cut the Hazelcast links between this cluster's nodes (see
     * {@link PacketFilter}); its chain is noted in {@code cluster.json} so that {@link #stop}
     * removes it even from another process. Throws {@link IOException} with the reason when
     * iptables is missing or refuses, or when the nodes have no outbound port ranges.
     */
    public PacketFilter openPacketFilter() throws IOException {
        Map<String, PacketFilter.Ports> ports = new LinkedHashMap<>();
        for (NodeInfo n : nodes()) {
            if (n.hzOutboundFirst() <= 0) {
                throw new IOException("node " + n.name() + " has no Hazelcast outbound port range (cluster.json from an older version)");
            }
            ports.put(n.name(), new PacketFilter.Ports(n.hzPort(), n.hzOutboundFirst(), n.hzOutboundLast()));
        }
        String chain = PacketFilter.chainName(id());
        state.put("packet_filter_chain", chain);
        save();
        return PacketFilter.open(chain, ports);
    }

    /**
     * CPU time each of the cluster's processes has used so far, in nanoseconds, by name: every node
     * ({@code n1} ...) and {@code store} (the store's JVM and the PostgreSQL processes under it).
     * A process that died took its count with it; one that does not answer counts 0.
     */
    public Map<String, Long> cpuNanos() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (NodeInfo n : nodes()) {
            out.put(n.name(), ProcessHandle.of(n.pid()).map(ClusterLauncher::cpuNanos).orElse(0L));
        }
        Long storePid = state.getJsonObject("store").getLong("pid");
        if (storePid != null) {
            // PostgreSQL daemonises away from the store's JVM: its servers' pids are in their data folders.
            long postgres = storeKind().equals("cassandra") ? 0 : storeServerPids().stream().map(ProcessHandle::of)
                    .flatMap(Optional::stream)
                    .mapToLong(p -> cpuNanos(p) + p.descendants().mapToLong(ClusterLauncher::cpuNanos).sum()).sum();
            out.put("store", ProcessHandle.of(storePid).map(ClusterLauncher::cpuNanos).orElse(0L) + postgres);
        }
        if (redisPid() > 0) {
            out.put("redis", ProcessHandle.of(redisPid()).map(ClusterLauncher::cpuNanos).orElse(0L));
        }
        return out;
    }

    /**
     * Bytes each of the cluster's processes has caused to be written to storage so far (the
     * kernel's {@code write_bytes} of {@code /proc/PID/io}: page-cache pages it dirtied, whether
     * or not they were synced yet), by name as {@link #cpuNanos}: the nodes (with a node-local
     * store, RocksDB's WAL, flushes and compactions) and {@code store} (PostgreSQL's servers and
     * every process under them, or Cassandra). A process that died took its count with it; empty
     * where /proc has no such file.
     */
    public Map<String, Long> diskWriteBytes() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (NodeInfo n : nodes()) {
            ProcessHandle.of(n.pid()).map(ClusterLauncher::writeBytes).ifPresent(b -> out.put(n.name(), b));
        }
        Long storePid = state.getJsonObject("store").getLong("pid");
        if (storePid != null) {
            List<ProcessHandle> servers = new ArrayList<>();
            if (storeKind().equals("cassandra")) {
                ProcessHandle.of(storePid).ifPresent(servers::add);
            } else {
                storeServerPids().forEach(pid -> ProcessHandle.of(pid).ifPresent(servers::add));
            }
            long bytes = 0;
            for (ProcessHandle p : servers) {
                bytes += writeBytes(p) + p.descendants().mapToLong(ClusterLauncher::writeBytes).sum();
            }
            out.put("store", bytes);
        }
        return out;
    }

    private static long writeBytes(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException gone) {
            // A process that ended, or a system without /proc: nothing to count.
        }
        return 0;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** One line per process: name, pid, alive, and for nodes the /health answer. */
    public List<String> status() {
        List<String> lines = new ArrayList<>();
        Long storePid = state.getJsonObject("store").getLong("pid");
        if (storePid != null) {
            lines.add("store  " + storeKind() + " pid=" + storePid + " " + (isAlive(storePid) ? "up" : "down") + " " + storeUrl());
        } else {
            lines.add("store  " + storeKind() + (storeUrl() != null ? " " + storeUrl() : ""));
        }
        if (redisUrl() != null) {
            lines.add("redis  pid=" + redisPid() + " " + (isAlive(redisPid()) ? "up" : "down") + " " + redisUrl()
                    + " (" + redisUses() + ")");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (NodeInfo n : nodes()) {
            String health;
            try {
                health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                health = "unreachable";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                health = "interrupted";
            }
            lines.add(n.name() + "     pid=" + n.pid() + " " + (isAlive(n.pid()) ? "up" : "down")
                    + " ws://127.0.0.1:" + n.port() + "/ws health=" + health);
        }
        return lines;
    }

    // ---- processes -----------------------------------------------------------------------------

    /** Whether a store kind is a service all nodes share (started here unless external), not node-local. */
    static boolean isShared(String kind) {
        return kind.equals("postgres") || kind.equals("postgres-sharded") || kind.equals("cassandra");
    }

    /** Whether the nodes' settings ask for Redis: the recent-message cache or presence on Redis. */
    static boolean needsRedis(Map<String, String> nodeArgs) {
        return "redis".equals(nodeArgs.get("cache")) || "redis".equals(nodeArgs.get("presence"));
    }

    /**
     * Starts the cluster's redis-server (a process of its own, which outlives this JVM as the
     * store's does) on a port below the ephemeral range, so that no outgoing connection takes it
     * before a restart binds it again.
     */
    private void startRedis() throws IOException {
        RedisServer redis = RedisServer.start(dir.resolve("redis"), freePort());
        state.put("redis", new JsonObject().put("pid", redis.pid()).put("url", redis.url()));
        save();
    }

    /** The cluster's Redis (cache, presence), or null if it has none. */
    public String redisUrl() {
        JsonObject redis = state.getJsonObject("redis");
        return redis == null ? null : redis.getString("url");
    }

    /** The redis-server's pid, or 0 if the cluster has none. */
    public long redisPid() {
        JsonObject redis = state.getJsonObject("redis");
        return redis == null ? 0 : redis.getLong("pid");
    }

    private String redisUses() {
        JsonObject args = state.getJsonObject("node_args");
        List<String> uses = new ArrayList<>();
        if ("redis".equals(args.getString("cache"))) {
            uses.add("cache of the last " + args.getValue("cache-recent", CACHE_RECENT_DEFAULT) + " messages a chat");
        }
        if ("redis".equals(args.getString("presence"))) {
            uses.add("presence");
        }
        return String.join(", ", uses);
    }

    /** Messages a chat the recent-message cache keeps unless the nodes are told otherwise. */
    public static final int CACHE_RECENT_DEFAULT = 200;

    /** Starts a Cassandra node (a java process of its own; it outlives this JVM, as the PostgreSQL store process does). */
    private void startCassandra() {
        startCassandra(0);
    }

    private void startCassandra(int nativePort) {
        CassandraServer cassandra = CassandraServer.start(dir.resolve("cassandra"), nativePort, durability());
        state.getJsonObject("store").put("pid", cassandra.pid()).put("url", cassandra.address())
                .put("gc_log", cassandra.gcLog().toString());
        save();
    }

    /** What an acknowledged write of this cluster's store survives, as its plan said. */
    public Durability durability() {
        String word = state.getJsonObject("store").getString("durability", "memory");
        return Durability.valueOf(word.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** {@code memory}, {@code process-crash}, {@code fsync}: as scenarios and {@code --durability} write it. */
    public static String word(Durability d) {
        return d.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Starts the store process: one PostgreSQL server, or {@code shards} of them (0: not sharded). */
    private void startStore(int shards) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < Math.max(1, shards); i++) {
            ports.add(freePort());
        }
        List<String> urls = new ArrayList<>();
        for (int port : ports) {
            urls.add("postgresql://postgres@127.0.0.1:" + port + "/postgres");
        }
        long pid = launchStore(dir.resolve("pg"), ports, shards > 0);
        state.getJsonObject("store").put("pid", pid).put("url", SharedStores.shardedAddress(urls)).put("shards", shards);
        save();
    }

    /**
     * A {@link StoreMain} for the servers on {@code ports}: all of a store's ({@code sharded}: in
     * their shard folders beside {@code dataDir}) or one server in {@code dataDir}; returns its pid
     * once it is ready.
     */
    private long launchStore(Path dataDir, List<Integer> ports, boolean sharded) throws IOException {
        Path log = dir.resolve("logs").resolve("store.log");
        long offset = logLength(log);
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--durability", word(durability())));
        if (sharded) {
            args.addAll(List.of("--ports", String.join(",", ports.stream().map(String::valueOf).toList())));
        } else {
            args.addAll(List.of("--port", String.valueOf(ports.get(0))));
        }
        Process p = launch("store", List.of("-Xmx128m", "-XX:+UseSerialGC"), StoreMain.class.getName(), args, log);
        JsonArray supervisors = state.getJsonObject("store").getJsonArray("supervisors", new JsonArray());
        state.getJsonObject("store").put("supervisors", supervisors.add(p.pid()));
        save();
        awaitLine(log, offset, p, "store");
        return p.pid();
    }

    // ---- store chaos -----------------------------------------------------------------------------

    /**
     * {@code kill -9} of the store's servers named by {@code target}: {@code store} (every one) or
     * {@code shard-N} (the N-th server of a sharded PostgreSQL), each with every process under it.
     * PostgreSQL's servers are held by {@link StoreMain} processes, which are killed with them (their
     * lock on a data folder would keep a new server out); the other shards' servers run on. False if
     * nothing of the target was running; IllegalArgumentException for a target this store does not have.
     */
    public boolean killStore(String target) {
        List<ProcessHandle> victims = new ArrayList<>();
        if (storeKind().equals("cassandra")) {
            requireWhole(target);
            ProcessHandle.of(state.getJsonObject("store").getLong("pid", -1L)).filter(ProcessHandle::isAlive)
                    .ifPresent(victims::add);
        } else {
            for (Path server : storeServerDirs(target)) {
                postmaster(server).ifPresent(victims::add);
            }
            if (!victims.isEmpty()) {
                for (Object pid : state.getJsonObject("store").getJsonArray("supervisors", new JsonArray())) {
                    ProcessHandle.of(((Number) pid).longValue()).filter(ProcessHandle::isAlive).ifPresent(victims::add);
                }
            }
        }
        if (victims.isEmpty()) {
            return false;
        }
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle v : victims) {
            all.addAll(v.descendants().toList());
            all.add(v);
        }
        // At once, as an out-of-memory killer or a container's end would.
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("store process " + p.pid() + " did not die", e);
            }
        }
        return true;
    }

    /**
     * Starts the servers of {@code target} that are down again, on their data folders and ports,
     * and returns once they serve; false if none was down.
     */
    public boolean restartStore(String target) throws IOException {
        if (storeKind().equals("cassandra")) {
            requireWhole(target);
            if (isAlive(state.getJsonObject("store").getLong("pid", -1L))) {
                return false;
            }
            startCassandra(port(storeUrl().substring("cassandra://".length())));
            return true;
        }
        List<String> urls = SharedStores.shardsOf(storeUrl());
        List<Path> dirs = storeServerDirs(WHOLE_STORE);
        boolean any = false;
        for (Path server : storeServerDirs(target)) {
            if (postmaster(server).isEmpty()) {
                launchStore(server, List.of(port(urls.get(dirs.indexOf(server)))), false);
                any = true;
            }
        }
        return any;
    }

    private static final String WHOLE_STORE = "store";

    private void requireWhole(String target) {
        if (!target.equals(WHOLE_STORE)) {
            throw new IllegalArgumentException("a " + storeKind() + " store has no shards: store-kill targets 'store', not '"
                    + target + "'");
        }
    }

    /** The data folders of the PostgreSQL servers {@code target} names, in shard order. */
    private List<Path> storeServerDirs(String target) {
        if (!storeKind().startsWith("postgres") || state.getJsonObject("store").getLong("pid") == null) {
            throw new IllegalArgumentException("store-kill needs a store this cluster started (PostgreSQL or Cassandra),"
                    + " not " + storeKind() + (storeUrl() != null ? " at " + storeUrl() : ""));
        }
        int shards = state.getJsonObject("store").getInteger("shards", 0);
        List<Path> all = new ArrayList<>();
        if (shards == 0) {
            all.add(dir.resolve("pg"));
        }
        for (int i = 1; i <= shards; i++) {
            all.add(StoreMain.shardDir(dir.resolve("pg"), i));
        }
        if (target.equals(WHOLE_STORE)) {
            return all;
        }
        int n = target.startsWith("shard-") ? Integer.parseInt(target.substring("shard-".length())) : -1;
        if (shards == 0 || n < 1 || n > shards) {
            throw new IllegalArgumentException("store-kill target '" + target + "': this store has "
                    + (shards == 0 ? "no shards (target 'store')" : "shards shard-1 to shard-" + shards));
        }
        return List.of(all.get(n - 1));
    }

    /** The live postmaster of the server in {@code dataDir}, if any (its pid file outlives a kill -9). */
    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            return ProcessHandle.of(EmbeddedPostgresServer.postmasterPid(dataDir)).filter(ProcessHandle::isAlive);
        } catch (java.io.UncheckedIOException | NumberFormatException notRunning) {
            return Optional.empty();
        }
    }

    /** The port of {@code postgresql://user@host:port/db} or {@code host:port/keyspace}. */
    private static int port(String url) {
        String hostPort = url.substring(url.indexOf('@') + 1);
        hostPort = hostPort.contains("/") ? hostPort.substring(0, hostPort.indexOf('/')) : hostPort;
        hostPort = hostPort.contains(",") ? hostPort.substring(0, hostPort.indexOf(',')) : hostPort;
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /**
     * The pids of the store's running PostgreSQL servers (postmasters), read from their data
     * folders, or of its Cassandra node; empty for a store this cluster did not start.
     */
    public List<Long> storeServerPids() {
        Long storePid = state.getJsonObject("store").getLong("pid");
        if (storePid == null) {
            return List.of();
        }
        if (storeKind().equals("cassandra")) {
            // The Cassandra node is the store's process itself.
            return isAlive(storePid) ? List.of(storePid) : List.of();
        }
        List<Long> pids = new ArrayList<>();
        for (Path d : storeServerDirs(WHOLE_STORE)) {
            // A server that is down has no live postmaster (its pid file may outlive a kill -9).
            postmaster(d).ifPresent(p -> pids.add(p.pid()));
        }
        return pids;
    }

    /** The node's port for direct peer links, from cluster.json. */
    private int peerPort(String name) {
        for (Object o : state.getJsonArray("nodes")) {
            JsonObject n = (JsonObject) o;
            if (name.equals(n.getString("name"))) {
                return n.getInteger("peer_port", 0);
            }
        }
        throw new IllegalArgumentException("no node " + name + " in cluster.json");
    }

    private Process launchNode(NodeInfo n) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--name", n.name(), "--number", String.valueOf(n.number()), "--port", String.valueOf(n.port()),
                "--secret", secret(), "--epoch-ms", String.valueOf(epochMillis()),
                "--store", storeKind(), "--data-dir", dir.toString(),
                "--hz-port", String.valueOf(n.hzPort()), "--hz-members", state.getString("hz_members"),
                "--homes", String.join(",", nodeNames()),
                "--cluster-name", "chatlab-" + id(),
                "--history", historyOf(n.name()).toString()));
        // CHATLAB_PEERS=event-bus keeps the nodes' sends on the clustered event bus: only to measure one against the other.
        if (state.containsKey("peers") && !"event-bus".equals(System.getenv("CHATLAB_PEERS"))) {
            args.add("--peers");
            args.add(state.getString("peers"));
            args.add("--peer-port");
            args.add(String.valueOf(peerPort(n.name())));
        }
        if (n.hzOutboundFirst() > 0) {
            args.add("--hz-outbound");
            args.add(n.hzOutboundFirst() + "-" + n.hzOutboundLast());
        }
        if (storeUrl() != null) {
            args.add("--store-url");
            args.add(storeUrl());
        }
        if (redisUrl() != null) {
            args.add("--redis-url");
            args.add(redisUrl());
        }
        if (storeKind().equals("rocksdb")) {
            // The node holds its store: what its writes survive is the node's setting.
            args.add("--durability");
            args.add(word(durability()));
        }
        for (Map.Entry<String, Object> e : state.getJsonObject("node_args")) {
            args.add("--" + e.getKey());
            args.add(String.valueOf(e.getValue()));
        }
        List<String> jvm = new ArrayList<>();
        for (Object o : state.getJsonArray("node_jvm_args")) {
            jvm.add((String) o);
        }
        // Each incarnation its own file (%p: its pid), so that a restart does not wipe the pauses before it.
        jvm.add("-Xlog:gc:file=" + gcLogOf(n.name()).toString().replace(".log", "-%p.log") + ":uptime");
        Process p = launch(n.name(), jvm, NodeMain.class.getName(), args, logOf(n.name()));
        for (Object o : state.getJsonArray("nodes")) {
            JsonObject j = (JsonObject) o;
            if (j.getString("name").equals(n.name())) {
                j.put("pid", p.pid());
            }
        }
        save();
        return p;
    }

    private static Process launch(String name, List<String> jvmArgs, String mainClass, List<String> args, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dchatlab.process=" + name);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
    }

    private void awaitReady(String node, Process p, long offset) throws IOException {
        awaitLine(logOf(node), offset, p, node);
    }

    /** The last lines a process wrote after {@code offset}, so a failure explains itself after its folder is gone. */
    private static String tail(Path log, long offset, int lines) {
        try {
            byte[] all = Files.readAllBytes(log);
            String[] fresh = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                    StandardCharsets.UTF_8).split("\n");
            String end = String.join("\n", java.util.Arrays.copyOfRange(fresh, Math.max(0, fresh.length - lines), fresh.length));
            // The cause usually heads a stack trace that the last lines only show the end of.
            for (String line : fresh) {
                if (line.contains("Exception") && !end.contains(line)) {
                    return line + "\n...\n" + end;
                }
            }
            return end;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Waits for the process to print READY in its log after {@code offset}. */
    private static void awaitLine(Path log, long offset, Process p, String name) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                byte[] all = Files.readAllBytes(log);
                String fresh = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                        StandardCharsets.UTF_8);
                if (fresh.contains("READY ")) {
                    return;
                }
            }
            if (!p.isAlive()) {
                throw new IOException(name + " exited with " + p.exitValue() + " before it was ready; see " + log
                        + "; it ends with:\n" + tail(log, offset, 12));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name);
            }
        }
        throw new IOException(name + " was not ready within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static long logLength(Path log) throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }

    private static void terminate(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    private static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private NodeInfo node(String name) {
        for (NodeInfo n : nodes()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node '" + name + "' in " + dir);
    }

    private void save() {
        try {
            Files.writeString(dir.resolve("cluster.json"), state.encodePrettily() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port to listen on that is free now and that no outgoing connection will take before the
     * process binds it: below the kernel's ephemeral range. A port the kernel hands out for
     * {@code new ServerSocket(0)} lies inside that range, where any connection made in the
     * meantime (Hazelcast joining, PostgreSQL clients) may be given it as its local port, and the
     * node then fails to bind.
     */
    static int freePort() throws IOException {
        int ephemeralLow = ephemeralRangeStart();
        int low = 10_000;
        if (ephemeralLow - low >= 1_000) {
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = random.nextInt(low, ephemeralLow);
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                    return port;
                } catch (IOException taken) {
                    // Someone listens there: try another.
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /**
     * The first of {@code count} consecutive ports below the ephemeral range, none listened on
     * now and none among the ports already handed out (so that nothing else's connections take
     * them, and packet filters can tell one node's links from another's).
     */
    static int freePortRange(int count, List<Integer> ports, List<Integer> hzPorts, List<Integer> rangeStarts) throws IOException {
        int ephemeralLow = ephemeralRangeStart();
        int low = 10_000;
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && ephemeralLow - low > count; attempt++) {
            int first = random.nextInt(low, ephemeralLow - count);
            boolean ok = true;
            for (int p : ports) {
                ok &= p < first || p >= first + count;
            }
            for (int p : hzPorts) {
                ok &= p < first || p >= first + count;
            }
            for (int other : rangeStarts) {
                ok &= first + count <= other || other + count <= first;
            }
            for (int port = first; ok && port < first + count; port++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                } catch (IOException taken) {
                    ok = false;
                }
            }
            if (ok) {
                return first;
            }
        }
        throw new IOException("no " + count + " free consecutive ports below " + ephemeralLow);
    }

    private static int ephemeralRangeStart() {
        try {
            // Not Files.readString: it sizes its read by the file's size, which /proc gives as 0, and got "3" of "32768".
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
