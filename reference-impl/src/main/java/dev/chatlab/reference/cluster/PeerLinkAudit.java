package dev.chatlab.reference.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Checks, once a period, that this node still reaches every node of its view: a membership view
 * says who is alive, not that a message to them arrives (after a Hazelcast split healed, a node's
 * event bus once stopped delivering to one peer while every member was listed, and its sends
 * vanished without an error). Each change of a link's state (reachable or not, and why) goes to
 * {@code onChange}. The probe is the peer network's own ({@link TcpPeers#probe}, which also closes
 * a link that does not answer), or {@link #eventBusProbe} for the event bus.
 *
 * <pre>{@code
 * new PeerLinkAudit(vertx, "n1", () -> view, tcpPeers::probe, (peer, state) -> log(peer + " " + state)).start(1_000);
 * }</pre>
 */
public final class PeerLinkAudit {

    private final Vertx vertx;
    private final String self;
    private final Supplier<List<String>> view;
    private final BiFunction<String, Long, Future<?>> probe;
    private final BiConsumer<String, String> onChange;
    /** Per peer: "ok" or the reason of the last failed probe. */
    private final Map<String, String> states = new HashMap<>();

    public PeerLinkAudit(Vertx vertx, String self, Supplier<List<String>> view, BiFunction<String, Long, Future<?>> probe,
                         BiConsumer<String, String> onChange) {
        this.vertx = vertx;
        this.self = self;
        this.view = view;
        this.probe = probe;
        this.onChange = onChange;
    }

    /** A request to the peer's event-bus address, answered by {@link EventBusPeers}. */
    public static BiFunction<String, Long, Future<?>> eventBusProbe(Vertx vertx) {
        return (peer, timeoutMillis) -> vertx.eventBus().request(EventBusPeers.NODE_PREFIX + peer, EventBusPeers.PROBE,
                new DeliveryOptions().setSendTimeout(timeoutMillis));
    }

    public void start(long periodMillis) {
        vertx.setPeriodic(periodMillis, periodMillis, id -> probeAll(periodMillis));
    }

    private void probeAll(long timeoutMillis) {
        for (String peer : new ArrayList<>(view.get())) {
            if (peer.equals(self)) {
                continue;
            }
            probe.apply(peer, timeoutMillis).onComplete(ar -> {
                String state = ar.succeeded() ? "ok"
                        : ar.cause() instanceof ReplyException re ? re.failureType().name().toLowerCase(java.util.Locale.ROOT)
                        : String.valueOf(ar.cause().getMessage());
                String before = states.put(peer, state);
                if (!state.equals(before) && !(before == null && state.equals("ok"))) {
                    onChange.accept(peer, state);
                }
            });
        }
    }
}
