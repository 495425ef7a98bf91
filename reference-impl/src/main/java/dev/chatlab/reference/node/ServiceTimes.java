package dev.chatlab.reference.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every service time a node measured, kept whole: an HdrHistogram per family ({@code frame},
 * {@code peer}, {@code store}, {@code connect}) and kind, in nanoseconds, where Micrometer's
 * timers keep only count, total and max. {@code chatlab calibrate} reads them from
 * {@code GET /calibration} to fit distributions, after {@code POST /calibration} has cleared the
 * warm-up. Used on the node's event loop only.
 *
 * <pre>{@code
 * times.record("frame", "send", nanos);
 * times.toJson();   // {"unit": "ns", "families": {"frame": {"send": {"count": 1200, "histogram": "<base64>"}}}}
 * }</pre>
 */
final class ServiceTimes implements AdminEndpoints.Endpoint {

    /** Three significant digits: a bucket is within 0.1% of what it holds, finer than any fit needs. */
    private static final int DIGITS = 3;

    private final Map<String, Map<String, Histogram>> families = new TreeMap<>();

    void record(String family, String kind, long nanos) {
        families.computeIfAbsent(family, f -> new TreeMap<>())
                .computeIfAbsent(kind, k -> new Histogram(DIGITS))
                .recordValue(Math.max(1, nanos));
    }

    JsonObject toJson() {
        JsonObject out = new JsonObject().put("unit", "ns");
        JsonObject all = new JsonObject();
        families.forEach((family, kinds) -> {
            JsonObject f = new JsonObject();
            kinds.forEach((kind, h) -> {
                ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
                int length = h.encodeIntoCompressedByteBuffer(buffer);
                byte[] bytes = new byte[length];
                buffer.flip();
                buffer.get(bytes);
                f.put(kind, new JsonObject().put("count", h.getTotalCount()).put("max_ns", h.getMaxValue())
                        .put("histogram", Base64.getEncoder().encodeToString(bytes)));
            });
            all.put(family, f);
        });
        return out.put("families", all);
    }

    @Override
    public AdminEndpoints.Response handle(String method, String body) {
        if ("GET".equals(method)) {
            return AdminEndpoints.Response.json(toJson());
        }
        if ("POST".equals(method)) {
            // A calibration starts its measurement after a warm-up: what came before is dropped, but
            // for the families the body asks to keep ({"keep": ["connect"]}: the logins are before it).
            Set<String> keep = new HashSet<>();
            if (body != null && !body.isBlank()) {
                try {
                    new JsonObject(body).getJsonArray("keep", new JsonArray())
                            .forEach(f -> keep.add(String.valueOf(f)));
                } catch (RuntimeException e) {
                    return AdminEndpoints.Response.json(400, new JsonObject().put("error",
                            "expected no body or {\"keep\": [family, ...]}, got: " + body));
                }
            }
            families.forEach((family, kinds) -> {
                if (!keep.contains(family)) {
                    kinds.values().forEach(Histogram::reset);
                }
            });
            return AdminEndpoints.Response.json(toJson());
        }
        return AdminEndpoints.Response.json(405, new JsonObject().put("error",
                "GET gives the service times measured, POST clears them"));
    }
}
