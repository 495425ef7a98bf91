package dev.chatlab.reference.chaos;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.stores.ChatStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A store whose calls take {@link NodeChaos#diskFactor()} times as long while the factor is above
 * 1: each completion is held back by {@code (factor - 1) x} the call's measured latency (at least
 * {@link #LATENCY_FLOOR_NANOS}, so a call the store answered from cache is slowed too), and never
 * handed back before one that completed earlier, so replies queue behind the slow ones as on the
 * simulator's slow disk. Applied on every node, it is the shared store as every node sees it.
 *
 * <pre>{@code
 * ChatStore store = new SlowStore(vertx, PostgresChatStore.connect(vertx, url, 8), chaos);
 * }</pre>
 */
public final class SlowStore implements ChatStore {

    /** The least latency a call is taken to have, for the slowdown: 1 ms. */
    static final long LATENCY_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Vertx vertx;
    private final ChatStore inner;
    private final NodeChaos chaos;
    private Future<Void> last = Future.succeededFuture();

    public SlowStore(Vertx vertx, ChatStore inner, NodeChaos chaos) {
        this.vertx = vertx;
        this.inner = inner;
        this.chaos = chaos;
    }

    @Override
    public Future<StoreResult> apply(StoreOp op) {
        double factor = chaos.diskFactor();
        if (factor <= 1) {
            return inner.apply(op);
        }
        long started = System.nanoTime();
        Promise<StoreResult> out = Promise.promise();
        inner.apply(op).onComplete(ar -> {
            chaos.countStoreSlowed();
            long took = Math.max(LATENCY_FLOOR_NANOS, System.nanoTime() - started);
            long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis((long) ((factor - 1) * took)));
            Promise<Void> slept = Promise.promise();
            vertx.setTimer(delayMillis, id -> slept.complete());
            // Timers may fire on different threads: each reply also waits for the one before it.
            behind(slept.future()).onComplete(v -> out.handle(ar));
        });
        return out.future();
    }

    /** A gate that opens once {@code own} is done and every earlier reply has been handed back. */
    private synchronized Future<Void> behind(Future<Void> own) {
        Future<Void> gate = Future.join(last, own).mapEmpty();
        last = gate;
        return gate;
    }

    @Override
    public Future<Void> seedChat(String chat, List<String> members) {
        return inner.seedChat(chat, members);
    }

    @Override
    public void close() {
        inner.close();
    }
}
