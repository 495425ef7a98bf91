package dev.chatlab.stores;

import io.vertx.core.Future;

/**
 * A store that every node of a cluster shares, reached at an address ({@link SharedStores}): it has
 * a schema to create before the first use (idempotent, so nodes may race to do it) and can be
 * emptied for a fresh run. PostgreSQL, sharded PostgreSQL.
 *
 * <pre>{@code
 * try (SharedStore store = SharedStores.connect(vertx, url, 4)) {
 *     store.createSchema().compose(v -> store.truncate()).await();
 * }
 * }</pre>
 */
public interface SharedStore extends ChatStore {

    /** Creates whatever the store needs (tables, functions, keyspaces) if missing; keeps what is there. */
    Future<Void> createSchema();

    /** Removes every chat, member, watermark and message. */
    Future<Void> truncate();
}
