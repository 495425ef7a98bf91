package dev.chatlab.reference.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a node's time goes, as Micrometer timers on {@code /metrics} (count, total, max):
 * {@code chatlab_frame_work_seconds{kind}} from a device frame's arrival to the end of the node's
 * answer to it (decode, the protocol, the effects written out), {@code chatlab_peer_work_seconds{kind}}
 * the same for a message from another node, {@code chatlab_store_op_seconds{op}} from a store
 * operation's start to its result back on the event loop. Kinds are the frame's, message's or
 * operation's type in lower case ({@code send}, {@code submit}, {@code append}). Used on the node's
 * event loop only.
 *
 * <pre>{@code
 * WorkTimers work = new WorkTimers(registry);
 * work.frame(frame.getClass(), System.nanoTime() - arrived);
 * }</pre>
 *
 * Each time also goes, whole, into {@link #serviceTimes()} ({@code /calibration}); a connection's
 * set-up (its hello, the token check included) is timed there as {@code connect}.
 */
final class WorkTimers {

    private final MeterRegistry registry;
    private final ServiceTimes times = new ServiceTimes();
    private final Map<Class<?>, Timer> frames = new HashMap<>();
    private final Map<Class<?>, Timer> peers = new HashMap<>();
    private final Map<Class<?>, Timer> store = new HashMap<>();

    /** Every kind's timer is made up front, so that /metrics lists them all from the start (at zero). */
    WorkTimers(MeterRegistry registry) {
        this.registry = registry;
        for (Class<?> k : dev.chatlab.core.protocol.Frame.class.getPermittedSubclasses()) {
            frame(k);
        }
        for (Class<?> k : dev.chatlab.core.server.PeerMessage.class.getPermittedSubclasses()) {
            peer(k);
        }
        for (Class<?> k : dev.chatlab.core.store.StoreOp.class.getPermittedSubclasses()) {
            store(k);
        }
    }

    void frame(Class<?> kind, long nanos) {
        frame(kind).record(nanos, TimeUnit.NANOSECONDS);
        times.record("frame", word(kind), nanos);
    }

    void peer(Class<?> kind, long nanos) {
        peer(kind).record(nanos, TimeUnit.NANOSECONDS);
        times.record("peer", word(kind), nanos);
    }

    void store(Class<?> kind, long nanos) {
        store(kind).record(nanos, TimeUnit.NANOSECONDS);
        times.record("store", word(kind), nanos);
    }

    /** From a hello's arrival to the end of the node's answer once its token is checked. */
    void connect(long nanos) {
        times.record("connect", "connect", nanos);
    }

    ServiceTimes serviceTimes() {
        return times;
    }

    private static String word(Class<?> kind) {
        return kind.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private Timer frame(Class<?> kind) {
        return frames.computeIfAbsent(kind, k -> timer("chatlab_frame_work", "kind", k));
    }

    private Timer peer(Class<?> kind) {
        return peers.computeIfAbsent(kind, k -> timer("chatlab_peer_work", "kind", k));
    }

    /**
     * With its p50, p99 and p999 over the node's whole life (a window of an hour, two significant
     * digits): a store comparison reads them, as {@code chatlab_store_op_seconds{op,quantile}}.
     */
    private Timer store(Class<?> kind) {
        return store.computeIfAbsent(kind, k -> Timer.builder("chatlab_store_op")
                .tag("op", k.getSimpleName().toLowerCase(Locale.ROOT))
                .publishPercentiles(0.5, 0.99, 0.999)
                .percentilePrecision(2)
                .distributionStatisticExpiry(java.time.Duration.ofHours(1))
                .distributionStatisticBufferLength(1)
                .register(registry));
    }

    private Timer timer(String name, String tag, Class<?> kind) {
        return Timer.builder(name).tag(tag, word(kind)).register(registry);
    }
}
