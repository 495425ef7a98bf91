package dev.chatlab.stores;

import dev.chatlab.core.store.InMemoryChatStore;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;

import java.util.List;

/**
 * chat-core's reference store behind the {@link ChatStore} interface: for single-node runs and
 * tests, and as the oracle the real adapters are tested against. Thread-safe by a lock, since
 * several event loops may share it.
 *
 * <pre>{@code
 * ChatStore store = new InMemoryStore();
 * store.apply(new StoreOp.Claim("c1", "n1")).onSuccess(r -> ...);
 * }</pre>
 */
public final class InMemoryStore implements ChatStore {

    private final InMemoryChatStore store = new InMemoryChatStore();

    @Override
    public synchronized Future<StoreResult> apply(StoreOp op) {
        try {
            return Future.succeededFuture(store.apply(op));
        } catch (RuntimeException refused) {
            return Future.failedFuture(refused);
        }
    }

    @Override
    public synchronized Future<Void> seedChat(String chat, List<String> members) {
        store.seedChat(chat, members);
        return Future.succeededFuture();
    }

    public synchronized long messageCount() {
        return store.messageCount();
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
