package dev.chatlab.reference.cluster;

import dev.chatlab.stores.Durability;
import dev.chatlab.stores.EmbeddedPostgresServer;
import dev.chatlab.stores.SharedStore;
import dev.chatlab.stores.SharedStores;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cluster's shared PostgreSQL as a process of its own, so it outlives any node and the CLI
 * that started it: starts the embedded server (or one per shard), creates the schema and prints
 * {@code READY <address>} ({@link SharedStores}). SIGTERM stops PostgreSQL cleanly; the data
 * folders stay.
 *
 * <pre>{@code
 * java -cp ... dev.chatlab.reference.cluster.StoreMain --data-dir runs/x/pg --port 15432
 * java -cp ... dev.chatlab.reference.cluster.StoreMain --data-dir runs/x/pg --ports 15432,15433   # two shards: pg-1, pg-2
 * }</pre>
 *
 * {@code --durability memory|process-crash|fsync} (default memory) says what an acknowledged write
 * survives ({@link Durability}).
 */
public final class StoreMain {

    private StoreMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path dataDir = Path.of(args.required("data-dir"));
        Durability durability = Durability.valueOf(
                args.text("durability", "memory").toUpperCase(Locale.ROOT).replace('-', '_'));
        List<EmbeddedPostgresServer> servers = new ArrayList<>();
        if (args.has("ports")) {
            List<String> ports = Arrays.asList(args.required("ports").split(","));
            for (int i = 0; i < ports.size(); i++) {
                servers.add(EmbeddedPostgresServer.start(shardDir(dataDir, i + 1), Integer.parseInt(ports.get(i).trim()), durability));
            }
        } else {
            servers.add(EmbeddedPostgresServer.start(dataDir, args.integer("port", 0), durability));
        }
        String address = SharedStores.shardedAddress(servers.stream().map(EmbeddedPostgresServer::url).toList());
        Vertx vertx = Vertx.vertx();
        try (SharedStore store = SharedStores.connect(vertx, address, 1)) {
            store.createSchema().await();
        }
        vertx.close().await();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.forEach(EmbeddedPostgresServer::close), "chatlab-store-shutdown"));
        System.out.println("READY " + address);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Where shard {@code number} (from 1) of a sharded store keeps its data: beside the single server's folder. */
    public static Path shardDir(Path dataDir, int number) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-" + number);
    }
}
