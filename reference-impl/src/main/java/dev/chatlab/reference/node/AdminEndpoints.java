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
public final class AdminEndpoints {

    static final int BODY_BYTES_MAX = 64 * 1024;
    static final String JSON = "application/json";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";

    /** An answer: status, content type and body. */
    public record Response(int status, String contentType, byte[] body) {

        public static Response json(JsonObject o) {
            return json(200, o);
        }

        public static Response json(int status, JsonObject o) {
            return new Response(status, JSON, o.encode().getBytes(StandardCharsets.UTF_8));
        }

        public static Response text(int status, String text) {
            return new Response(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One more path the node serves, e.g. the chaos endpoint; called on the node's event loop. */
    public interface Endpoint {

        Response handle(String method, String body);
    }

    private final Supplier<JsonObject> health;
    private final Supplier<String> metrics;
    private final PushLog pushes;
    private final LongSupplier nowMicros;
    private final Map<String, Endpoint> more;

    AdminEndpoints(Supplier<JsonObject> health, Supplier<String> metrics, PushLog pushes, LongSupplier nowMicros,
                   Map<String, Endpoint> more) {
        this.health = health;
        this.metrics = metrics;
        this.pushes = pushes;
        this.nowMicros = nowMicros;
        this.more = Map.copyOf(more);
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
                Endpoint endpoint = more.get(path);
                return endpoint != null ? endpoint.handle(method, body) : Response.text(404, "no such endpoint: " + path
                        + " (the node serves /ws, /health, /metrics, /pushes" + (more.isEmpty() ? "" : ", " + String.join(", ", more.keySet())) + ")");
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
