package dev.chatlab.scenarios.real;

import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.stores.Durability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a real run's store cost, for comparing stores on one workload: the summary's {@code store}
 * section. Write (append) and history-page read (read range) latency come from the nodes' own
 * timers ({@code chatlab_store_op_seconds{op,quantile}} on {@code /metrics}, from the start of
 * a store call to its result back on the node's event loop); bytes written from the kernel's
 * count of what the store's processes wrote ({@code /proc/PID/io}); CPU from the run's
 * {@code cpu} section; GC pauses from each JVM's unified GC log. A number it cannot get is left
 * out and its reason listed under {@code not_measured}, never written as 0.
 *
 * <pre>{@code
 * StoreMeasures measures = StoreMeasures.start(cluster);      // as the run starts
 * ... the run ...
 * Map<String, Object> store = measures.finish(acks, delivers, seconds, cpu);   // before the cluster stops
 * }</pre>
 */
final class StoreMeasures {

    /** A pause line of {@code -Xlog:gc}: {@code [3.2s] GC(4) Pause Young (Allocation Failure) 90M->12M(370M) 4.321ms}. */
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .* (\\d+(?:\\.\\d+)?)ms\\s*$");
    private static final Pattern QUANTILE = Pattern.compile(
            "^chatlab_store_op_seconds\\{op=\"([a-z]+)\",quantile=\"([0-9.]+)\"} ([0-9.eE+-]+|NaN)$");
    private static final Pattern COUNT = Pattern.compile("^chatlab_store_op_seconds_count\\{op=\"([a-z]+)\"} ([0-9.eE+-]+)$");

    private final ClusterLauncher cluster;
    private final Map<String, Long> writeBytesAtStart;

    private StoreMeasures(ClusterLauncher cluster) {
        this.cluster = cluster;
        this.writeBytesAtStart = cluster.diskWriteBytes();
    }

    static StoreMeasures start(ClusterLauncher cluster) {
        return new StoreMeasures(cluster);
    }

    /**
     * The section, read while the cluster still runs: {@code acks} messages stored and
     * {@code delivers} deliveries, sent over {@code loadSeconds} (the run until its quiesce);
     * {@code cpu} the run's cpu section.
     */
    Map<String, Object> finish(long acks, long delivers, double loadSeconds, Map<String, Object> cpu) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> notMeasured = new ArrayList<>();
        String kind = cluster.storeKind();
        out.put("kind", kind);
        out.put("durability", ClusterLauncher.word(cluster.durability()));
        out.put("durability_settings", settings(kind, cluster.durability()));
        // Over the time messages were sent: the deliveries that trail the quiesce were for those messages.
        out.put("messages_per_second", round(acks / loadSeconds));
        out.put("deliveries_per_second", round(delivers / loadSeconds));
        latencies(out, notMeasured);
        if (acks <= 0) {
            notMeasured.add("per message: no message was acknowledged");
        } else {
            bytesWritten(out, notMeasured, kind, acks);
            cpuPerMessage(out, notMeasured, cpu, acks);
        }
        gcPauses(out, notMeasured);
        out.put("not_measured", notMeasured);
        return out;
    }

    /** Count-weighted means over the nodes of each node's own p50/p99/p999 (percentiles of several nodes do not merge exactly). */
    private void latencies(Map<String, Object> out, List<String> notMeasured) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int scraped = 0;
        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
            String text;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    continue;
                }
                text = r.body();
            } catch (IOException e) {
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            scraped++;
            Map<String, Long> nodeCounts = new LinkedHashMap<>();
            Map<String, double[]> nodeQuantiles = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                Matcher c = COUNT.matcher(line);
                if (c.matches()) {
                    nodeCounts.put(c.group(1), (long) Double.parseDouble(c.group(2)));
                }
                Matcher q = QUANTILE.matcher(line);
                if (q.matches() && !q.group(3).equals("NaN")) {
                    int i = switch (q.group(2)) {
                        case "0.5" -> 0;
                        case "0.99" -> 1;
                        default -> 2;
                    };
                    nodeQuantiles.computeIfAbsent(q.group(1), k -> new double[3])[i] = Double.parseDouble(q.group(3));
                }
            }
            nodeQuantiles.forEach((op, qs) -> {
                long count = nodeCounts.getOrDefault(op, 0L);
                if (count > 0) {
                    double[] sum = sums.computeIfAbsent(op, k -> new double[3]);
                    for (int i = 0; i < 3; i++) {
                        sum[i] += qs[i] * count;
                    }
                    counts.merge(op, count, Long::sum);
                }
            });
        }
        if (scraped < cluster.nodes().size()) {
            notMeasured.add("store op latency of " + (cluster.nodes().size() - scraped) + " node(s) that did not answer /metrics");
        }
        op(out, notMeasured, "append", "append", sums, counts, true);
        op(out, notMeasured, "readrange", "read", sums, counts, false);
    }

    private static void op(Map<String, Object> out, List<String> notMeasured, String op, String name,
                           Map<String, double[]> sums, Map<String, Long> counts, boolean p999) {
        long count = counts.getOrDefault(op, 0L);
        if (count == 0) {
            notMeasured.add(name + " latency: no " + op + " operation was timed");
            return;
        }
        double[] sum = sums.get(op);
        out.put(name + "_ops", count);
        out.put(name + "_p50_us", Math.round(sum[0] / count * 1e6));
        out.put(name + "_p99_us", Math.round(sum[1] / count * 1e6));
        if (p999) {
            out.put(name + "_p999_us", Math.round(sum[2] / count * 1e6));
        }
    }

    /** The store's processes (a node-local store: the nodes, whose writes are the store's). */
    private void bytesWritten(Map<String, Object> out, List<String> notMeasured, String kind, long acks) {
        Map<String, Long> now = cluster.diskWriteBytes();
        boolean inNodes = kind.equals("rocksdb") || kind.equals("memory");
        long bytes = 0;
        boolean any = false;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            if (inNodes != e.getKey().equals("store")) {
                bytes += Math.max(0, e.getValue() - writeBytesAtStart.getOrDefault(e.getKey(), 0L));
                any = true;
            }
        }
        if (!any) {
            notMeasured.add("bytes written: no /proc/PID/io for the store's processes");
            return;
        }
        out.put("write_bytes_per_message", Math.round((double) bytes / acks));
        out.put("write_bytes_source", inNodes ? "write_bytes of the node processes (the store is in them)"
                : "write_bytes of the store's processes");
    }

    private static void cpuPerMessage(Map<String, Object> out, List<String> notMeasured, Map<String, Object> cpu, long acks) {
        if (!(cpu.get("processes") instanceof Map<?, ?> processes)) {
            notMeasured.add("cpu per message: the run measured no cpu");
            return;
        }
        double nodes = 0;
        Double store = null;
        for (Map.Entry<?, ?> e : processes.entrySet()) {
            double seconds = ((Number) ((Map<?, ?>) e.getValue()).get("cpu_seconds")).doubleValue();
            String name = String.valueOf(e.getKey());
            if (name.matches("n\\d+")) {
                nodes += seconds;
            } else if (name.equals("store")) {
                store = seconds;
            }
        }
        out.put("node_cpu_us_per_message", Math.round(nodes * 1e6 / acks));
        if (store != null && store > 0) {
            out.put("store_cpu_us_per_message", Math.round(store * 1e6 / acks));
        } else if (store != null) {
            // A killed store process takes its CPU count with it, and its successor counts from 0.
            notMeasured.add("store cpu per message: the store's processes were replaced during the run (store-kill)");
        } else {
            notMeasured.add("store cpu per message: the store runs in the nodes (counted in node_cpu_us_per_message)");
        }
    }

    /** Every node JVM's pauses together, and the store's JVM (Cassandra) apart; PostgreSQL has no GC. */
    private void gcPauses(Map<String, Object> out, List<String> notMeasured) {
        List<Path> nodeLogs = new ArrayList<>();
        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
            Path named = cluster.gcLogOf(n.name());
            String prefix = named.getFileName().toString().replace(".log", "-");
            try (Stream<Path> files = Files.list(named.getParent())) {
                files.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(nodeLogs::add);
            } catch (IOException e) {
                // No logs folder: nothing to read.
            }
        }
        if (nodeLogs.isEmpty()) {
            notMeasured.add("node gc pauses: no node GC log");
        } else {
            pauses(out, "node_gc", nodeLogs);
        }
        Path store = cluster.storeGcLog();
        if (store == null) {
            notMeasured.add("store gc pauses: " + (cluster.storeKind().startsWith("postgres")
                    ? "PostgreSQL has no garbage collector" : "the store runs in the nodes' JVMs (in node_gc)"));
        } else {
            // Every incarnation of the store node: a restart after a store-kill starts a new log.
            List<Path> logs = new ArrayList<>();
            try (Stream<Path> files = Files.list(store.getParent())) {
                files.filter(f -> f.getFileName().toString().matches("gc-\\d+\\.log")).forEach(logs::add);
            } catch (IOException e) {
                // Nothing to read.
            }
            pauses(out, "store_gc", logs);
        }
    }

    private static void pauses(Map<String, Object> out, String prefix, List<Path> logs) {
        double total = 0;
        double max = 0;
        long count = 0;
        for (Path log : logs) {
            try {
                for (String line : Files.readAllLines(log)) {
                    Matcher m = PAUSE.matcher(line);
                    if (m.find()) {
                        double ms = Double.parseDouble(m.group(1));
                        total += ms;
                        max = Math.max(max, ms);
                        count++;
                    }
                }
            } catch (IOException e) {
                // A log that vanished: its pauses are not counted.
            }
        }
        out.put(prefix + "_pauses", count);
        out.put(prefix + "_pause_total_us", Math.round(total * 1000));
        out.put(prefix + "_pause_max_us", Math.round(max * 1000));
    }

    /** The engine settings behind a durability, as the stores set them ({@link Durability}). */
    static String settings(String kind, Durability d) {
        return switch (kind) {
            case "postgres", "postgres-sharded" -> switch (d) {
                case MEMORY -> "synchronous_commit=off, fsync=off";
                case PROCESS_CRASH -> "synchronous_commit=on, fsync=off";
                case FSYNC -> "synchronous_commit=on, fsync=on, full_page_writes=on";
            };
            case "cassandra" -> d == Durability.MEMORY ? "commitlog_sync: periodic (10 s)"
                    : "commitlog_sync: group (2 ms), synced before the ack";
            case "rocksdb" -> d == Durability.FSYNC ? "WAL on, sync=true" : "WAL on, sync=false (written to the OS before the ack)";
            default -> "none (memory)";
        };
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
