package dev.chatlab.cli;

import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.ClusterLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code chatlab cluster start|status|stop|token|kill|restart}: a real chat cluster of Vert.x
 * node processes (Hazelcast on loopback) and its shared store, all described by
 * {@code DIR/cluster.json}, each process logging to {@code DIR/logs/<name>.log}.
 *
 * <pre>
 * chatlab cluster start --nodes 3 --store postgres --dir runs/cluster
 * chatlab cluster token alice --dir runs/cluster      # a JWT for a hello as alice
 * chatlab cluster kill n2 --dir runs/cluster          # kill -9
 * chatlab cluster stop --dir runs/cluster
 * </pre>
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, stop or inspect a real chat cluster of Vert.x nodes on this machine.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  chatlab cluster start --nodes 3 && chatlab cluster status",
            "  chatlab cluster token alice                 # a JWT for a hello as alice",
            "  chatlab cluster kill n2                     # kill -9",
            "  chatlab cluster stop",
            "",
            "'chatlab help cluster ACTION' explains one action."
        },
        subcommands = {
            ClusterCommand.Start.class,
            ClusterCommand.Status.class,
            ClusterCommand.Stop.class,
            ClusterCommand.Token.class,
            ClusterCommand.Kill.class,
            ClusterCommand.Restart.class
        })
final class ClusterCommand implements Runnable {

    static final String DEFAULT_DIR = "runs/cluster";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an action: start, status, stop, token, kill or restart");
    }

    /** The folder every action after {@code start} finds the cluster by. */
    static final class ClusterDir {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "the cluster's folder, as given to cluster start (default: ${DEFAULT-VALUE})")
        Path dir;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {
                "Start N chat nodes (separate JVMs, Hazelcast on loopback) and the shared store.",
                "Each node serves WebSockets on ws://127.0.0.1:PORT/ws, /health and /metrics; the folder gets"
                        + " cluster.json (what the other actions read) and logs/<name>.log. The command returns"
                        + " once every node reports up; the processes keep running until cluster stop."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  chatlab cluster start --nodes 3            # PostgreSQL, ports 7101-7103",
                "  chatlab cluster start --nodes 1 --store memory --base-port 0",
                "  chatlab cluster start --store rocksdb      # a RocksDB per node, pinned chats",
                "  chatlab cluster start --store postgres-sharded --shards 3   # 3 servers",
                "  chatlab cluster start --store cassandra    # a Cassandra node",
                "  chatlab cluster start --cache redis        # recent messages cached in Redis",
                "  chatlab cluster start --routing pubsub --sequencing snowflake \\",
                "      --dir runs/what-if"
            })
    static final class Start implements Callable<Integer> {
        @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "chat nodes to start (default: ${DEFAULT-VALUE})")
        int nodes;

        @Option(names = "--store", paramLabel = "STORE", defaultValue = "postgres",
                description = "postgres (shared; embedded unless --pg-url), postgres-sharded (--shards embedded servers,"
                        + " chats placed by a hash of their id), cassandra (a Cassandra node, or the cluster --pg-url"
                        + " cassandra://host:port/keyspace names), rocksdb (node-local) or memory (one node only)")
        String store;

        @Option(names = "--shards", paramLabel = "N", defaultValue = "2",
                description = "servers of a postgres-sharded store (default: ${DEFAULT-VALUE})")
        int shards;

        @Option(names = "--pg-url", paramLabel = "URL", description = "an external PostgreSQL, e.g. postgresql://user:pw@host:5432/db;"
                + " with --store postgres-sharded, one URL per shard joined by commas")
        String pgUrl;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "the cluster's folder: cluster.json, logs/, the store's data (default: ${DEFAULT-VALUE})")
        Path dir;

        @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "7101",
                description = "n1's WebSocket/HTTP port; nK gets base+K-1; 0 picks free ports (default: ${DEFAULT-VALUE})")
        int basePort;

        @Option(names = "--routing", paramLabel = "ROUTING", defaultValue = "direct",
                description = "how a frame reaches a device on another node: direct (node to node, by the"
                        + " owner's directory) or pubsub (a topic per user) (default: ${DEFAULT-VALUE})")
        String routing;

        @Option(names = "--sequencing", paramLabel = "SEQ", defaultValue = "owner-counter",
                description = "how a message gets its seq: owner-counter (the chat owner's fenced counter),"
                        + " snowflake (clock-based ids) or store-counter (assigned by the store) (default: ${DEFAULT-VALUE})")
        String sequencing;

        @Option(names = "--ownership", paramLabel = "OWNERSHIP", description = "follow-membership (a dead node's chats move to live ones; the default"
                + " with a shared store) or pinned (each chat served by its home node only, unavailable while that node is"
                + " down; the default, and the only safe choice, with --store rocksdb)")
        String ownership;

        @Option(names = "--cache", paramLabel = "CACHE", defaultValue = "none",
                description = "none, or redis: the last --cache-recent messages of each chat in a redis-server the"
                        + " cluster starts (Debian's redis-server package), in front of any store (default: ${DEFAULT-VALUE})")
        String cache;

        @Option(names = "--cache-recent", paramLabel = "N", defaultValue = "200",
                description = "messages a chat the cache keeps (default: ${DEFAULT-VALUE})")
        int cacheRecent;

        @Option(names = "--presence", paramLabel = "PRESENCE", defaultValue = "hazelcast",
                description = "how the nodes find each other and carry topics: hazelcast (its member list and event bus)"
                        + " or redis (presence keys with a TTL and pub/sub in a redis-server the cluster starts) (default: ${DEFAULT-VALUE})")
        String presence;

        @Override
        public Integer call() {
            if (ownership == null) {
                ownership = store.equals("rocksdb") ? "pinned" : "follow-membership";
            }
            if (!presence.matches("hazelcast|redis")) {
                System.err.println("chatlab cluster start: --presence must be hazelcast or redis, got " + presence);
                return Chatlab.BAD_INPUT;
            }
            if (!cache.matches("none|redis") || cacheRecent < 1) {
                System.err.println("chatlab cluster start: --cache must be none or redis and --cache-recent at least 1; got --cache "
                        + cache + " --cache-recent " + cacheRecent);
                return Chatlab.BAD_INPUT;
            }
            if (!ownership.matches("pinned|follow-membership")) {
                System.err.println("chatlab cluster start: --ownership must be pinned or follow-membership, got " + ownership);
                return Chatlab.BAD_INPUT;
            }
            if (nodes < 1 || shards < 1 || !store.matches("postgres|postgres-sharded|cassandra|rocksdb|memory") || (store.equals("memory") && nodes > 1)) {
                System.err.println("chatlab cluster start: --nodes and --shards must be at least 1 and --store postgres,"
                        + " postgres-sharded, cassandra, rocksdb or memory (memory with one node only); got --nodes " + nodes
                        + " --shards " + shards + " --store " + store);
                return Chatlab.BAD_INPUT;
            }
            Map<String, String> nodeArgs = new LinkedHashMap<>();
            nodeArgs.put("routing", routing);
            nodeArgs.put("sequencing", sequencing);
            nodeArgs.put("ownership", ownership);
            if (presence.equals("redis")) {
                nodeArgs.put("presence", presence);
            }
            if (cache.equals("redis")) {
                nodeArgs.put("cache", cache);
                nodeArgs.put("cache-recent", String.valueOf(cacheRecent));
            }
            ClusterLauncher.Plan plan = ClusterLauncher.Plan.defaults(dir, nodes).withStore(store).withStoreShards(shards).withBasePort(basePort)
                    .withPgUrl(pgUrl).withNodeArgs(nodeArgs);
            try {
                long started = System.nanoTime();
                ClusterLauncher cluster = ClusterLauncher.start(plan);
                System.out.printf("cluster of %d nodes up in %.1f s (store: %s%s, ownership: %s)%n", nodes,
                        (System.nanoTime() - started) / 1e9, store, cache.equals("none") ? "" : " behind a " + cache + " cache", ownership);
                for (String line : cluster.status()) {
                    System.out.println("  " + line);
                }
                System.out.println("folder: " + cluster.dir() + " (cluster.json, logs/)");
                System.out.println("tokens: chatlab cluster token USER --dir " + dir);
                return Chatlab.OK;
            } catch (IOException | RuntimeException e) {
                System.err.println("chatlab cluster start: " + e.getMessage());
                return Chatlab.BAD_INPUT;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show each process of the cluster: its name, pid, up or down, and its /health answer.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  chatlab cluster status",
                "  chatlab cluster status --dir runs/what-if"
            })
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        ClusterDir folder;

        @Override
        public Integer call() {
            try {
                for (String line : ClusterLauncher.open(folder.dir).status()) {
                    System.out.println(line);
                }
                return Chatlab.OK;
            } catch (IOException e) {
                System.err.println("chatlab cluster status: " + e.getMessage());
                return Chatlab.BAD_INPUT;
            }
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop every node, then the store; the data stays in the folder.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  chatlab cluster stop",
                "  chatlab cluster stop --dir runs/what-if"
            })
    static final class Stop implements Callable<Integer> {
        @CommandLine.Mixin
        ClusterDir folder;

        @Override
        public Integer call() {
            try {
                ClusterLauncher.open(folder.dir).stop();
                System.out.println("stopped the cluster in " + folder.dir);
                return Chatlab.OK;
            } catch (IOException e) {
                System.err.println("chatlab cluster stop: " + e.getMessage());
                return Chatlab.BAD_INPUT;
            }
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {
                "Print a JWT (HS256) for a hello as USER.",
                "The token is signed with the cluster's secret (in cluster.json), so every node of that cluster accepts it."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  chatlab cluster token alice",
                "  chatlab cluster token bob --ttl 600 --dir runs/what-if"
            })
    static final class Token implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "the user id the token names (any string)")
        String user;

        @CommandLine.Mixin
        ClusterDir folder;

        @Option(names = "--ttl", defaultValue = "3600", paramLabel = "SECONDS", description = "how long the token is valid (default: ${DEFAULT-VALUE})")
        long ttlSeconds;

        @Override
        public Integer call() {
            if (ttlSeconds <= 0) {
                System.err.println("chatlab cluster token: --ttl must be at least 1 (seconds), got " + ttlSeconds
                        + ": a token must expire");
                return Chatlab.BAD_INPUT;
            }
            try {
                System.out.println(Tokens.issueWithSecret(ClusterLauncher.open(folder.dir).secret(), user, ttlSeconds));
                return Chatlab.OK;
            } catch (IOException e) {
                System.err.println("chatlab cluster token: " + e.getMessage());
                return Chatlab.BAD_INPUT;
            }
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true,
            description = "Kill one node's process with kill -9 (no shutdown: its sessions drop, as in a crash).",
            footerHeading = "%nExamples:%n",
            footer = {
                "  chatlab cluster kill n2",
                "  chatlab cluster kill n2 && sleep 10 && chatlab cluster restart n2"
            })
    static final class Kill implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NODE", description = "the node's name, as cluster status lists it (n1, n2, ...)")
        String node;

        @CommandLine.Mixin
        ClusterDir folder;

        @Override
        public Integer call() {
            try {
                boolean killed = ClusterLauncher.open(folder.dir).kill(node);
                System.out.println(killed ? "killed " + node : node + " was not running");
                return Chatlab.OK;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("chatlab cluster kill: " + e.getMessage());
                return Chatlab.BAD_INPUT;
            }
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Start a node that is down again, under the same name and ports, and wait until it listens.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  chatlab cluster restart n2"
            })
    static final class Restart implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NODE", description = "the node's name, as cluster status lists it (n1, n2, ...)")
        String node;

        @CommandLine.Mixin
        ClusterDir folder;

        @Override
        public Integer call() {
            try {
                ClusterLauncher.open(folder.dir).restart(node);
                System.out.println("restarted " + node);
                return Chatlab.OK;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("chatlab cluster restart: " + e.getMessage());
                return Chatlab.BAD_INPUT;
            }
        }
    }
}
