package dev.chatlab.reference.cluster;

import dev.chatlab.stores.EmbeddedPostgresServer;
import dev.chatlab.stores.PostgresChatStore;
import io.vertx.core.Vertx;

import java.nio.file.Path;

/**
 * The cluster's shared PostgreSQL as a process of its own, so it outlives any node and the CLI
 * that started it: starts the embedded server, creates the schema and prints
 * {@code READY <url>}. SIGTERM stops PostgreSQL cleanly; the data folder stays.
 *
 * <pre>{@code
 * java -cp ... dev.chatlab.reference.cluster.StoreMain --data-dir runs/x/pg --port 15432
 * }</pre>
 */
public final class StoreMain {

    private StoreMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(Path.of(args.required("data-dir")), args.integer("port", 0));
        Vertx vertx = Vertx.vertx();
        try (PostgresChatStore store = PostgresChatStore.connect(vertx, pg.url(), 1)) {
            store.createSchema().await();
        }
        vertx.close().await();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "chatlab-store-shutdown"));
        System.out.println("READY " + pg.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}
