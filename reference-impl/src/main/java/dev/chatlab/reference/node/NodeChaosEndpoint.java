package dev.chatlab.reference.node;

import dev.chatlab.reference.chaos.NodeChaos;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The chaos admin endpoint of a node: {@code GET /chaos} shows the node's {@link NodeChaos} state
 * and what it did; {@code POST /chaos} with a JSON body replaces it. A node whose chaos is off
 * answers 403 to a change, a bad body gets 400 with the reason.
 *
 * <pre>{@code
 * new AdminEndpoints(..., Map.of("/chaos", new NodeChaosEndpoint(chaos)));
 * // curl -X POST localhost:7001/chaos -d '{"clock_offset_us": -5000000, "drop_to": ["n2"], "drop_from": ["n2"]}'
 * }</pre>
 */
final class NodeChaosEndpoint implements AdminEndpoints.Endpoint {

    private final NodeChaos chaos;

    NodeChaosEndpoint(NodeChaos chaos) {
        this.chaos = chaos;
    }

    @Override
    public AdminEndpoints.Response handle(String method, String body) {
        if ("GET".equals(method)) {
            return AdminEndpoints.Response.json(chaos.toJson());
        }
        if (!"POST".equals(method)) {
            return refuse(405, "GET shows the node's chaos, POST changes it");
        }
        if (!chaos.isEnabled()) {
            return refuse(403, "chaos is off on this node: it was not started with --chaos on");
        }
        JsonObject change;
        try {
            change = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            return refuse(400, "expected a JSON object");
        }
        try {
            chaos.replace(change);
        } catch (IllegalArgumentException e) {
            return refuse(400, e.getMessage());
        }
        return AdminEndpoints.Response.json(chaos.toJson());
    }

    private static AdminEndpoints.Response refuse(int status, String reason) {
        return AdminEndpoints.Response.json(status, new JsonObject().put("error", reason));
    }
}
