package dev.chatlab.reference.chaos;

import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.reference.store.ChatStore;
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
    private long lastDueNanos;

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
            long now = System.nanoTime();
            long extra = (long) ((factor - 1) * Math.max(LATENCY_FLOOR_NANOS, now - started));
            long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(due(now + extra) - now));
            vertx.setTimer(delayMillis, id -> out.handle(ar));
        });
        return out.future();
    }

    /** When a completion may be handed back: not before one that completed earlier. */
    private synchronized long due(long wanted) {
        lastDueNanos = Math.max(wanted, lastDueNanos);
        return lastDueNanos;
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
