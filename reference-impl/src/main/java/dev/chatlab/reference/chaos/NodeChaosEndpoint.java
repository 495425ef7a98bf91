package dev.chatlab.reference.chaos;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The chaos admin endpoint of a node: {@code GET /chaos} shows the node's {@link NodeChaos} state
 * and what it did; {@code POST /chaos} with a JSON body replaces it. A node whose chaos is off
 * answers 403 to a change, a bad body gets 400 with the reason.
 *
 * <pre>{@code
 * NodeChaosEndpoint.mount(router, chaos);
 * // curl -X POST localhost:7001/chaos -d '{"clock_offset_us": -5000000, "drop_to": ["n2"], "drop_from": ["n2"]}'
 * }</pre>
 */
public final class NodeChaosEndpoint {

    private NodeChaosEndpoint() {
    }

    public static void mount(Router router, NodeChaos chaos) {
        router.get("/chaos").handler(rc -> rc.json(chaos.toJson()));
        router.post("/chaos").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.post("/chaos").handler(rc -> change(rc, chaos));
    }

    private static void change(RoutingContext rc, NodeChaos chaos) {
        if (!chaos.isEnabled()) {
            refuse(rc, 403, "chaos is off on this node: it was not started with --chaos on");
            return;
        }
        JsonObject body;
        try {
            body = rc.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            refuse(rc, 400, "expected a JSON object");
            return;
        }
        if (body == null) {
            refuse(rc, 400, "expected a JSON object");
            return;
        }
        try {
            chaos.replace(body);
        } catch (IllegalArgumentException e) {
            refuse(rc, 400, e.getMessage());
            return;
        }
        rc.json(chaos.toJson());
    }

    private static void refuse(RoutingContext rc, int status, String reason) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", reason).encode());
    }
}
