import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.core.cluster.ClusterView;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Splits a run's send->ack and send->deliver by the path a message took: was the sender's node the
 * chat's owner (S=O: no peer hop for the submit and its answer), and the recipient's (R=O)? The
 * owner is rendezvous hashing of the chat over the nodes named, as chat-core's ClusterView does,
 * so give the nodes of a run without membership changes (or a window before any, FROM and TO in
 * microseconds of the history's t). A measuring tool for docs/simulator.md, "What a real
 * send->deliver is made of": the difference between the S=O and S!=O medians is a peer hop there
 * and back; with the node's store-append histogram (cluster/service-times.json), what is left of
 * the S=O median is the devices' two hops and the node's work.
 *
 * <pre>
 * java -cp "$(cat cli/target/classpath.txt)" tools/SendPaths.java RUN/history.jsonl.gz n1,n2,n3 [FROM TO]
 * </pre>
 */
public class SendPaths {

    public static void main(String[] a) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ClusterView view = new ClusterView(0, List.of(a[1].split(",")));
        long from = a.length > 2 ? Long.parseLong(a[2]) : 0;
        long to = a.length > 3 ? Long.parseLong(a[3]) : Long.MAX_VALUE;
        Map<String, String> nodeOf = new HashMap<>();
        Map<String, Long> sentAt = new HashMap<>();
        Map<String, String> sentFrom = new HashMap<>();
        Map<String, List<Long>> byPath = new TreeMap<>();
        InputStream in = new FileInputStream(a[0]);
        if (a[0].endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode e = json.readTree(line);
                long t = e.path("t").asLong();
                String device = e.path("user").asText() + "/" + e.path("device").asText();
                String message = e.path("chat").asText() + "/" + e.path("cmid").asText();
                String owner = e.has("chat") ? view.ownerOf(e.path("chat").asText()) : null;
                switch (e.path("type").asText()) {
                    case "connect" -> nodeOf.put(device, e.path("node").asText());
                    case "disconnect" -> nodeOf.remove(device);
                    case "send" -> {
                        if (!sentAt.containsKey(message) && t >= from && t < to) {
                            sentAt.put(message, t);
                            sentFrom.put(message, nodeOf.get(device));
                        }
                    }
                    case "ack" -> {
                        Long s = sentAt.get(message);
                        if (s != null) {
                            add(byPath, "ack " + (owner.equals(sentFrom.get(message)) ? "S=O" : "S!=O"), t - s);
                            add(byPath, "ack all", t - s);
                        }
                    }
                    case "deliver" -> {
                        Long s = sentAt.get(message);
                        if (s != null && "push".equals(e.path("via").asText("push"))) {
                            add(byPath, "deliver S" + (owner.equals(sentFrom.get(message)) ? "=" : "!=") + "O R"
                                    + (owner.equals(nodeOf.get(device)) ? "=" : "!=") + "O", t - s);
                            add(byPath, "deliver all pushed", t - s);
                        }
                    }
                    default -> { }
                }
            }
        }
        System.out.printf("%-24s %7s %8s %8s %8s %8s%n", "path", "n", "p10_us", "p50_us", "p90_us", "p99_us");
        byPath.forEach((path, v) -> {
            Collections.sort(v);
            System.out.printf("%-24s %7d %8d %8d %8d %8d%n", path, v.size(), at(v, .1), at(v, .5), at(v, .9), at(v, .99));
        });
    }

    private static void add(Map<String, List<Long>> byPath, String path, long micros) {
        byPath.computeIfAbsent(path, k -> new ArrayList<>()).add(micros);
    }

    private static long at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
    }
}
