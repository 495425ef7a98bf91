package dev.chatlab.stores;

/**
 * What a write the store has acknowledged survives: the setting every store of a comparison
 * states, since each step costs more per commit than the one before.
 *
 * <pre>{@code
 * EmbeddedPostgresServer.start(dir, 0, Durability.PROCESS_CRASH);
 * CassandraServer.start(dir, 0, Durability.PROCESS_CRASH);
 * }</pre>
 */
public enum Durability {
    /**
     * Nothing beyond a clean stop. PostgreSQL acknowledges a commit in its memory
     * ({@code synchronous_commit=off}: a {@code kill -9} loses about the last 0.6 s); Cassandra
     * syncs its commit log every 10 s ({@code commitlog_sync: periodic}: a {@code kill -9} loses
     * what was written since the last sync, since replay stops at the last sync marker). What runs
     * and benchmarks use unless told: durability is not what they measure.
     */
    MEMORY,
    /**
     * A crash of the store's process: PostgreSQL acknowledges a commit once its WAL is written to
     * the operating system ({@code synchronous_commit=on}, {@code fsync=off}); Cassandra, which has
     * no mode that writes without syncing, syncs its commit log before it acknowledges, in groups
     * ({@code commitlog_sync: group}, a 2 ms window): the same as {@link #FSYNC} there.
     */
    PROCESS_CRASH,
    /** A crash of the machine: the log flushed to the disk before a write is acknowledged. */
    FSYNC
}
