package dev.chatlab.scenarios.real;

import dev.chatlab.reference.cluster.ClusterLauncher;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Each live node's service-time histograms ({@code GET /calibration}), read at the end of a real
 * run into {@code cluster/service-times.json} of the run folder: {@code {"n1": {"unit": "ns",
 * "families": {...}}, ...}}. {@code chatlab calibrate} fits its model files from them; a node that
 * is down at the end has none to give and is left out. A scenario with a {@code workload.warmup}
 * clears them ({@code POST /calibration}, connection set-ups kept) when its warm-up ends, so that
 * they hold the steady state its latencies are measured over.
 */
final class NodeServiceTimes {

    static final String FILE = "service-times.json";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private NodeServiceTimes() {
    }

    /**
     * Clears every live node's histograms but for its connection set-ups (the logins come before
     * any warm-up ends); returns how many nodes answered.
     */
    static int clear(ClusterLauncher cluster) {
        return askEach(cluster, r -> r.POST(HttpRequest.BodyPublishers.ofString("{\"keep\": [\"connect\"]}"))).size();
    }

    /** Writes the file into the cluster's folder; returns how many nodes answered. */
    static int write(ClusterLauncher cluster) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        for (Map.Entry<String, String> answer : askEach(cluster, HttpRequest.Builder::GET).entrySet()) {
            try {
                out.set(answer.getKey(), JSON.readTree(answer.getValue()));
            } catch (IOException e) {
                // An answer that is not JSON has no times to give.
            }
        }
        Files.writeString(cluster.dir().resolve(FILE), JSON.writeValueAsString(out) + "\n", StandardCharsets.UTF_8);
        return out.size();
    }

    /** Each live node's answer to {@code /calibration} with {@code method}, by node name: a node that is down gives none. */
    private static Map<String, String> askEach(ClusterLauncher cluster, UnaryOperator<HttpRequest.Builder> method) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        Map<String, String> answers = new LinkedHashMap<>();
        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
            try {
                HttpResponse<String> response = http.send(method.apply(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + n.port() + "/calibration")).timeout(TIMEOUT)).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == 200) {
                    answers.put(n.name(), response.body());
                }
            } catch (IOException e) {
                // A node that is down has nothing to answer.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return answers;
    }
}
