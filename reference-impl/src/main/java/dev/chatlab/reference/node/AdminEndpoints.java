package dev.chatlab.reference.node;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The node's plain HTTP endpoints, next to the WebSocket on the same port: {@code GET /health},
 * {@code GET /metrics} (Prometheus text), {@code GET /pushes?after=N&limit=M} and
 * {@code POST /pushes} (the push sink also takes pushes from elsewhere, as a push service would).
 * Transport-free, so the gateway only parses HTTP and writes the answer.
 *
 * <pre>{@code
 * AdminEndpoints.Response r = endpoints.handle("GET", "/health", Map.of(), "");
 * }</pre>
 */
final class AdminEndpoints {

    static final int BODY_BYTES_MAX = 64 * 1024;
    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    record Response(int status, String contentType, byte[] body) {

        static Response json(JsonObject o) {
            return new Response(200, JSON, o.encode().getBytes(StandardCharsets.UTF_8));
        }

        static Response text(int status, String text) {
            return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Supplier<JsonObject> health;
    private final Supplier<String> metrics;
    private final PushLog pushes;
    private final LongSupplier nowMicros;

    AdminEndpoints(Supplier<JsonObject> health, Supplier<String> metrics, PushLog pushes, LongSupplier nowMicros) {
        this.health = health;
        this.metrics = metrics;
        this.pushes = pushes;
        this.nowMicros = nowMicros;
    }

    Response handle(String method, String path, Map<String, List<String>> query, String body) {
        switch (path) {
            case "/health":
                return "GET".equals(method) ? Response.json(health.get()) : notAllowed("GET");
            case "/metrics":
                return "GET".equals(method)
                        ? new Response(200, PROMETHEUS, metrics.get().getBytes(StandardCharsets.UTF_8)) : notAllowed("GET");
            case "/pushes":
                if ("GET".equals(method)) {
                    long after = parseLong(first(query, "after"), 0);
                    int limit = (int) Math.max(1, Math.min(10_000, parseLong(first(query, "limit"), 1_000)));
                    return Response.json(pushes.after(after, limit));
                }
                return "POST".equals(method) ? recordPush(body) : notAllowed("GET, POST");
            default:
                return Response.text(404, "no such endpoint: " + path
                        + " (the node serves /ws, /health, /metrics and /pushes)");
        }
    }

    private Response recordPush(String body) {
        JsonObject p;
        try {
            p = new JsonObject(body);
        } catch (RuntimeException e) {
            return Response.text(400, "expected a JSON object");
        }
        if (p.getString("user") == null || p.getString("chat") == null) {
            return Response.text(400, "expected {user, chat, seq, from}");
        }
        pushes.record(p.getString("user"), p.getString("chat"), p.getLong("seq", 0L), p.getString("from"), nowMicros.getAsLong());
        return new Response(204, TEXT, new byte[0]);
    }

    private static Response notAllowed(String allowed) {
        return Response.text(405, "method not allowed; use " + allowed);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static long parseLong(String text, long fallback) {
        try {
            return text == null ? fallback : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
