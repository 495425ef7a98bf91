package dev.chatlab.reference.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Checks, once a period, that this node's event bus still reaches every node of its view: a
 * membership view says who is alive, not that a message to them arrives (after a split heals, a
 * node's registration can be missing from the others' subscription lists while every member is
 * listed, and sends to it vanish without an error). Each change of a link's state (reachable or
 * not, and why) goes to {@code onChange}.
 *
 * <pre>{@code
 * new PeerLinkAudit(vertx, "n1", () -> view, (peer, state) -> log(peer + " " + state)).start(1_000);
 * }</pre>
 */
public final class PeerLinkAudit {

    private final Vertx vertx;
    private final String self;
    private final Supplier<List<String>> view;
    private final BiConsumer<String, String> onChange;
    /** Per peer: "ok" or the reason of the last failed probe. */
    private final Map<String, String> states = new HashMap<>();

    public PeerLinkAudit(Vertx vertx, String self, Supplier<List<String>> view, BiConsumer<String, String> onChange) {
        this.vertx = vertx;
        this.self = self;
        this.view = view;
        this.onChange = onChange;
    }

    public void start(long periodMillis) {
        vertx.setPeriodic(periodMillis, periodMillis, id -> probeAll(periodMillis));
    }

    private void probeAll(long timeoutMillis) {
        for (String peer : new ArrayList<>(view.get())) {
            if (peer.equals(self)) {
                continue;
            }
            vertx.eventBus().request(EventBusPeers.NODE_PREFIX + peer, EventBusPeers.PROBE,
                    new DeliveryOptions().setSendTimeout(timeoutMillis)).onComplete(ar -> {
                String state = ar.succeeded() ? "ok"
                        : ar.cause() instanceof ReplyException re ? re.failureType().name().toLowerCase() : String.valueOf(ar.cause());
                String before = states.put(peer, state);
                if (!state.equals(before) && !(before == null && state.equals("ok"))) {
                    onChange.accept(peer, state);
                }
            });
        }
    }
}
