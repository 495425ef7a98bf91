package dev.chatlab.stores;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import io.vertx.core.Future;

import java.util.List;

/**
 * The message store as a chat node's host sees it: chat-core's {@link StoreOp} in, a future
 * {@link StoreResult} out, with exactly the semantics of
 * {@link dev.chatlab.core.store.InMemoryChatStore} (epoch fencing on Claim, idempotent Append keyed
 * by sender and cmid, seq unique per chat, seq 0 means "the store assigns the next").
 * Implementations never block the calling event loop.
 *
 * <pre>{@code
 * ChatStore store = PostgresChatStore.connect(vertx, "postgresql://postgres@127.0.0.1:5432/postgres", 8);
 * store.seedChat("c1", List.of("alice", "bob"))
 *      .compose(v -> store.apply(new StoreOp.Claim("c1", "n1")))
 *      .onSuccess(result -> node.onStored(requestId, result, now));
 * }</pre>
 */
public interface ChatStore extends AutoCloseable {

    /** Applies one operation atomically. A failed future means the store could not be reached or refused a broken request. */
    Future<StoreResult> apply(StoreOp op);

    /** Creates a chat with settled members, as a workload's starting state. */
    Future<Void> seedChat(String chat, List<String> members);

    /** Releases connections or files; the store's data stays. */
    @Override
    void close();
}
