package dev.chatlab.reference.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent-message cache's counters summed over a cluster's live nodes, read from each node's
 * {@code /metrics} ({@code chatlab_store_cache_hits_total} and its siblings, see
 * {@link NodeMain#cached}). A node killed during the run took its counts with it; a restarted one
 * counts from zero.
 *
 * <pre>{@code
 * CacheCounters cache = CacheCounters.read(cluster);
 * summary.put("cache", cache.summary("redis", 200));   // hits, misses, failures, hit_rate
 * }</pre>
 */
public record CacheCounters(long hits, long misses, long failures, int nodesRead) {

    public static CacheCounters read(ClusterLauncher cluster) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long hits = 0;
        long misses = 0;
        long failures = 0;
        int read = 0;
        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
            if (!cluster.isAlive(n.name())) {
                continue;
            }
            try {
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                hits += value(metrics, "chatlab_store_cache_hits_total");
                misses += value(metrics, "chatlab_store_cache_misses_total");
                failures += value(metrics, "chatlab_store_cache_failures_total");
                read++;
            } catch (IOException e) {
                // A node that does not answer has no counts to give.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new CacheCounters(hits, misses, failures, read);
    }

    /** A counter's value in Prometheus text (its line without labels), 0 if absent. */
    static long value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Reads answered by Redis over all reads, or 0 with no reads. */
    public double hitRate() {
        long reads = hits + misses;
        return reads == 0 ? 0 : (double) hits / reads;
    }

    /** The cache's row of a summary: its settings and these counts. */
    public Map<String, Object> summary(String kind, int recent) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("recent", recent);
        out.put("hits", hits);
        out.put("misses", misses);
        out.put("hit_rate", Math.round(hitRate() * 10_000) / 10_000.0);
        out.put("failures", failures);
        out.put("nodes_read", nodesRead);
        return out;
    }
}
