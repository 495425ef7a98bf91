package dev.chatlab.reference.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import dev.chatlab.reference.chaos.CutPeers;
import dev.chatlab.reference.chaos.NodeChaos;
import dev.chatlab.reference.chaos.SlowStore;
import dev.chatlab.reference.node.ChatNode;
import dev.chatlab.reference.node.NodeSettings;
import dev.chatlab.stores.CachedChatStore;
import dev.chatlab.stores.ChatStore;
import dev.chatlab.stores.InMemoryStore;
import dev.chatlab.stores.PostgresChatStore;
import dev.chatlab.stores.RocksDbChatStore;
import dev.chatlab.stores.SharedStore;
import dev.chatlab.stores.SharedStores;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One chat node as a process: {@code chatlab cluster start} runs one of these per node. It joins
 * the Hazelcast cluster (when {@code --hz-members} is given; with {@code --presence redis} it
 * finds the others by presence keys in Redis instead, see {@link RedisMembership}), opens its store, deploys a
 * {@link ChatNode} and prints {@code READY <port>} once it listens.
 *
 * <pre>{@code
 * java -cp ... dev.chatlab.reference.cluster.NodeMain --name n1 --number 1 --port 7001 --secret S \
 *      --store postgres --store-url postgresql://postgres@127.0.0.1:5432/postgres \
 *      --hz-port 5701 --hz-members 127.0.0.1:5701,127.0.0.1:5702 --epoch-ms 1700000000000 --chaos on \
 *      --history cluster/n1-history.jsonl [--cache redis --cache-recent 200 --redis-url redis://127.0.0.1:6379]
 * }</pre>
 */
public final class NodeMain {

    /** How long a node's Redis presence key outlives its last heartbeat (Hazelcast notices a dead member in about 5 s). */
    static final int PRESENCE_TTL_MILLIS = 3_000;

    private NodeMain() {
    }

    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (Exception | Error e) {
            // Hazelcast's threads would keep a half-started node alive: fail loudly and exit.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        String name = args.required("name");
        String host = args.text("host", "127.0.0.1");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        VertxOptions options = new VertxOptions()
                .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
        options.getEventBusOptions().setHost(host).setPort(0);
        Vertx vertx;
        Membership membership;
        // Presence (which nodes live) and topics: Hazelcast's member list and clustered event bus, or
        // presence keys and pub/sub in the cluster's Redis (then no Hazelcast runs at all).
        String presence = args.text("presence", "hazelcast");
        if (!presence.equals("hazelcast") && !presence.equals("redis")) {
            throw new IllegalArgumentException("--presence must be hazelcast or redis, got " + presence);
        }
        boolean redisPresence = presence.equals("redis");
        if (redisPresence && !args.has("peers")) {
            throw new IllegalArgumentException("--presence redis needs --peers (the nodes' direct links carry what the event bus would)");
        }
        if (args.has("hz-members") && !redisPresence) {
            HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(HazelcastMembership.config(
                    args.text("cluster-name", "chatlab"), name, host, args.integer("hz-port", 5701),
                    args.has("hz-outbound") ? args.text("hz-outbound", null) : null, Arrays.asList(args.required("hz-members").split(","))));
            vertx = Vertx.builder().with(options).withTransport(NativeTransport.chosen()).withMetrics(new MicrometerMetricsFactory(registry))
                    .withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered().await();
            membership = new HazelcastMembership(hazelcast, vertx);
        } else {
            vertx = Vertx.builder().with(options).withTransport(NativeTransport.chosen()).withMetrics(new MicrometerMetricsFactory(registry)).build();
            membership = Membership.fixed(List.of(name));
        }
        // Runs start nodes with --chaos on, so their chaos can skew the clock, slow the store and cut peer links.
        NodeChaos chaos = args.text("chaos", "off").equals("on") ? NodeChaos.enabled() : NodeChaos.off();
        ChatStore opened = chaos.isEnabled() ? new SlowStore(vertx, openStore(vertx, args, name), chaos) : openStore(vertx, args, name);
        // The cache sits in front of the (possibly slowed) store: a hit is what a slow disk does not cost.
        ChatStore store = cached(vertx, args, opened, registry);
        NodeSettings settings = new NodeSettings(name, args.number("number", 1), host, args.integer("port", 0),
                args.required("secret"), args.integer("frame-chars-max", 64 * 1024),
                args.integer("rate", 200), args.integer("burst", 400),
                args.number("epoch-ms", System.currentTimeMillis()), 100_000, serverConfig(args, name));
        // Direct TCP links when the cluster's plan gives an address book (every launched cluster
        // does); the event bus otherwise, and for topics (or Redis pub/sub, with presence on Redis).
        String clusterName = args.text("cluster-name", "chatlab");
        Redis redis = redisPresence ? Redis.createClient(vertx, args.required("redis-url")) : null;
        TcpPeers tcp = args.has("peers")
                ? new TcpPeers(vertx, args.integer("peer-port", 0), TcpPeers.parseAddresses(args.required("peers")),
                        redisPresence ? new RedisTopics(vertx, redis, clusterName) : new EventBusPeers(vertx))
                : null;
        RedisMembership redisMembership = redisPresence
                ? new RedisMembership(vertx, redis, clusterName, name, args.integer("presence-ttl-ms", PRESENCE_TTL_MILLIS), tcp::probe)
                : null;
        if (redisMembership != null) {
            membership = redisMembership;
        }
        PeerNetwork links = tcp != null ? tcp : new EventBusPeers(vertx);
        PeerNetwork peers = chaos.isEnabled() ? new CutPeers(links, chaos) : links;
        // The views this node gets are kept for GET /chaos, so a run can show a partition splitting membership.
        Membership watched = membership;
        AtomicReference<List<String>> currentView = new AtomicReference<>(List.of(name));
        Membership seen = listener -> watched.start(view -> {
            chaos.recordView(view, System.currentTimeMillis());
            currentView.set(List.copyOf(view));
            listener.accept(view);
        });
        if (args.has("hz-members") || redisPresence) {
            new PeerLinkAudit(vertx, name, currentView::get, tcp != null ? tcp::probe : PeerLinkAudit.eventBusProbe(vertx), (peer, state) -> {
                System.out.println("chatlab: peer link " + name + " -> " + peer + ": " + state);
                chaos.recordPeerLink(peer, state, System.currentTimeMillis());
            }).start(1_000);
        }
        // The server's own history events (membership changes), for the run to merge with its fleet's.
        NodeHistoryFile history = args.has("history") ? NodeHistoryFile.append(Path.of(args.required("history"))) : null;
        ChatNode node = new ChatNode(settings, store, peers, seen, history != null ? history : HistorySink.discard(), registry)
                .withChaos(chaos);
        vertx.deployVerticle(node).await();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (redisMembership != null) {
                // The others see this node leave now, not once its presence key expires.
                try {
                    redisMembership.leave().await(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    // Then its key expires within the TTL.
                }
            }
            vertx.close().await();
            store.close();
            if (history != null) {
                try {
                    history.close();
                } catch (java.io.IOException e) {
                    e.printStackTrace();
                }
            }
        }, "chatlab-node-shutdown"));
        System.out.println("READY " + node.port());
        System.out.flush();
    }

    /**
     * The store behind the recent-message cache when {@code --cache redis} (with {@code --redis-url},
     * {@code --cache-recent}); its hits and misses become {@code chatlab_store_cache_hits_total}
     * and {@code chatlab_store_cache_misses_total} on /metrics.
     */
    static ChatStore cached(Vertx vertx, Args args, ChatStore store, MeterRegistry registry) {
        String cache = args.text("cache", "none");
        switch (cache) {
            case "none":
                return store;
            case "redis": {
                CachedChatStore cached = CachedChatStore.wrap(vertx, store, args.required("redis-url"),
                        args.integer("cache-recent", ClusterLauncher.CACHE_RECENT_DEFAULT));
                FunctionCounter.builder("chatlab_store_cache_hits", cached, CachedChatStore::hits)
                        .description("store reads answered by the Redis recent-message cache").register(registry);
                FunctionCounter.builder("chatlab_store_cache_misses", cached, CachedChatStore::misses)
                        .description("store reads the store answered (outside the cached window, or Redis failed)").register(registry);
                FunctionCounter.builder("chatlab_store_cache_failures", cached, CachedChatStore::failures)
                        .description("Redis requests that failed or timed out").register(registry);
                return cached;
            }
            default:
                throw new IllegalArgumentException("--cache must be none or redis, got " + cache);
        }
    }

    static ChatStore openStore(Vertx vertx, Args args, String name) {
        String kind = args.text("store", "postgres");
        switch (kind) {
            case "postgres":
            case "postgres-sharded":
            case "cassandra": {
                // --pg-url: what clusters started before the store had an address of its own passed.
                String address = args.has("store-url") ? args.required("store-url") : args.required("pg-url");
                SharedStore shared = SharedStores.connect(vertx, address, args.integer("pg-pool", 8),
                        args.integer("pg-linger-ms", (int) PostgresChatStore.LINGER_MILLIS_DEFAULT));
                shared.createSchema().await();
                return shared;
            }
            case "rocksdb":
                return RocksDbChatStore.open(vertx, RocksDbChatStore.nodeDir(Path.of(args.required("data-dir")), name),
                        dev.chatlab.stores.Durability.valueOf(args.text("durability", "memory")
                                .toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
            case "memory":
                return new InMemoryStore();
            default:
                throw new IllegalArgumentException("--store must be postgres, postgres-sharded, cassandra, rocksdb or memory, got " + kind);
        }
    }

    /**
     * The protocol's strategies from the command line. A node-local store (RocksDB) implies pinned
     * ownership: with ownership following membership, a chat moving to another node would start
     * again from that node's empty disk and fork.
     */
    static ServerConfig serverConfig(Args args, String name) {
        String ownership = args.text("ownership", args.text("store", "postgres").equals("rocksdb") ? "pinned" : "follow-membership");
        ServerConfig config = ServerConfig.defaults()
                .withOwnership(switch (ownership) {
                    case "pinned" -> Ownership.pinnedHome(Arrays.asList(args.text("homes", name).split(",")));
                    case "follow-membership" -> Ownership.followMembership();
                    default -> throw new IllegalArgumentException("--ownership must be pinned or follow-membership, got " + ownership);
                })
                .withRouting(Routing.valueOf(args.text("routing", "direct").toUpperCase(Locale.ROOT)))
                .withSequencing(Sequencing.valueOf(args.text("sequencing", "owner-counter")
                        .toUpperCase(Locale.ROOT).replace('-', '_')));
        String fanOut = args.text("fanout", "hybrid");
        if (fanOut.equals("push")) {
            config = config.withFanOut(FanOut.push());
        } else if (fanOut.equals("pull")) {
            config = config.withFanOut(FanOut.pull());
        } else {
            config = config.withFanOut(FanOut.hybrid(args.integer("hybrid-threshold", 256)));
        }
        return config;
    }
}
