package dev.chatlab.cli;

import dev.chatlab.reference.bench.ThroughputBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chatlab bench throughput}: deliveries per second through real nodes, every message persisted. */
@Command(name = "throughput", mixinStandardHelpOptions = true,
        description = {
            "Deliveries per second through real nodes at an open-loop rate, every message persisted.",
            "",
            "Starts --nodes chat node processes on one store (the embedded PostgreSQL unless",
            "--store says otherwise), N devices in chats of FANOUT+1 members spread over the",
            "nodes (with 3 nodes about 2/3 of deliveries cross nodes), and schedules RATE",
            "messages per second whatever the nodes do; latency runs from each message's",
            "scheduled send time to each delivery. Recipients answer every delivery with a",
            "delivered receipt (1 in 5 also read) and 1 send in 10 follows a typing frame,",
            "unless --no-side-traffic.",
            "A warm-up of 15 s or more (until the nodes' JIT compilers take under 10%% of",
            "their CPU), then ROUNDS rounds of SECONDS each; the round with the median p99",
            "is reported."
        })
final class BenchThroughputCommand implements Callable<Integer> {

    @Option(names = "--connections", paramLabel = "N", defaultValue = "2000", description = "devices (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = "chat node processes sharing the store (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--side-traffic", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "receipts and typing as the library's devices send them (default: on)")
    boolean sideTraffic;

    @Option(names = "--fanout", defaultValue = "1", description = "recipients per message (default: ${DEFAULT-VALUE})")
    int fanOut;

    @Option(names = "--rate", defaultValue = "1000", description = "messages scheduled per second (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--seconds", defaultValue = "20", description = "length of a round (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "measured rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "postgres",
            description = "postgres, postgres-sharded (--shards embedded servers), cassandra (a Cassandra node) or rocksdb"
                    + " (the node's own) (default: ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "2", description = "servers of postgres-sharded (default: ${DEFAULT-VALUE})")
    int shards;

    @Option(names = "--cache", paramLabel = "CACHE", defaultValue = "none",
            description = "none, or redis: the store behind a Redis cache of each chat's last --cache-recent messages (default: ${DEFAULT-VALUE})")
    String cache;

    @Option(names = "--cache-recent", paramLabel = "N", defaultValue = "200", description = "messages a chat the cache keeps (default: ${DEFAULT-VALUE})")
    int cacheRecent;

    @Option(names = "--dir", defaultValue = "runs/bench-throughput", description = "the node's folder (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--node-java-opts", paramLabel = "OPTS", defaultValue = "",
            description = "more JVM options for the node process, space-separated (a profiler, say)")
    String nodeJavaOpts;

    @Option(names = "--transport", defaultValue = "epoll",
            description = "sockets of the node and the load generator: epoll, io_uring or nio; one this kernel cannot run"
                    + " falls back to epoll or nio, saying so (default: ${DEFAULT-VALUE})")
    String transport;

    @Override
    public Integer call() throws Exception {
        if (connections < fanOut + 1 || fanOut < 1 || rate <= 0 || seconds < 1 || rounds < 1 || nodes < 1 || nodes > 9) {
            System.err.println("chatlab bench throughput: need --fanout >= 1, --connections > fanout, --rate > 0, --seconds >= 1,"
                    + " --nodes 1..9");
            return Chatlab.BAD_INPUT;
        }
        if (!List.of("epoll", "io_uring", "nio").contains(transport)) {
            System.err.println("chatlab bench throughput: --transport must be epoll, io_uring or nio, got '" + transport + "'");
            return Chatlab.BAD_INPUT;
        }
        if (!ThroughputBench.STORES.contains(store) || shards < 1) {
            System.err.println("chatlab bench throughput: --store must be one of " + String.join(", ", ThroughputBench.STORES)
                    + " and --shards at least 1; got --store " + store + " --shards " + shards);
            return Chatlab.BAD_INPUT;
        }
        if (nodes > 1 && store.equals("rocksdb")) {
            System.err.println("chatlab bench throughput: rocksdb is each node's own store (pinned homes); use it with --nodes 1");
            return Chatlab.BAD_INPUT;
        }
        if (!cache.matches("none|redis") || cacheRecent < 1) {
            System.err.println("chatlab bench throughput: --cache must be none or redis and --cache-recent at least 1; got --cache "
                    + cache + " --cache-recent " + cacheRecent);
            return Chatlab.BAD_INPUT;
        }
        Map<String, Object> median = ThroughputBench.run(dir, nodes, sideTraffic, store, shards,
                cache.equals("redis") ? cacheRecent : 0, connections, fanOut, rate, seconds, rounds, transport,
                nodeJavaOpts.isBlank() ? List.of() : List.of(nodeJavaOpts.trim().split("\\s+")), System.out);
        System.out.println("median round: " + median);
        return Chatlab.OK;
    }
}
