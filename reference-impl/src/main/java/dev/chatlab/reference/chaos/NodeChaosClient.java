package dev.chatlab.reference.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * Sets a node's chaos state through its {@code POST /chaos} endpoint (see {@link NodeChaos}),
 * from outside the node: what a run's chaos uses. Blocking; call it off any event loop.
 *
 * <pre>{@code
 * NodeChaosClient client = new NodeChaosClient();
 * client.apply(7001, -5_000_000, 1, Set.of("n2"), Set.of("n2"));   // skewed, cut from n2
 * }</pre>
 */
public final class NodeChaosClient {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    /** Replaces the state of the node listening on {@code port}; the node's answer (its state), or an exception. */
    public JsonObject apply(int port, long clockOffsetMicros, double diskFactor, Set<String> dropTo, Set<String> dropFrom)
            throws IOException, InterruptedException {
        JsonObject body = new JsonObject()
                .put("clock_offset_us", clockOffsetMicros)
                .put("disk_factor", diskFactor)
                .put("drop_to", new JsonArray(dropTo.stream().sorted().toList()))
                .put("drop_from", new JsonArray(dropFrom.stream().sorted().toList()));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(port))
                .timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("node on port " + port + " refused the chaos change (" + response.statusCode() + "): "
                    + response.body());
        }
        return new JsonObject(response.body());
    }

    /** The node's chaos state and counters ({@code GET /chaos}). */
    public JsonObject state(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(port)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /chaos on port " + port + " answered " + response.statusCode());
        }
        return new JsonObject(response.body());
    }

    private static URI uri(int port) {
        return URI.create("http://127.0.0.1:" + port + "/chaos");
    }
}
