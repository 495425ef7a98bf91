package dev.chatlab.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatlab.scenarios.Durations;
import dev.chatlab.scenarios.slo.SloMetric;
import dev.chatlab.scenarios.slo.SloUnit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.List;

/**
 * What a comparison measures in each run: any metric an SLO may name (the same reader, so a
 * comparison and an SLO never disagree about a run), or a count of the summary's {@code counts}
 * ({@code counts.acks}), or a number of a real run's {@code store} section ({@code store.append_p99_us}).
 * A metric a run did not measure (a coarse run's time to converge) is left
 * out of that run's sample, never counted as 0.
 *
 * <pre>{@code
 * Metric m = Metric.named("p99(send_to_ack)");   // IllegalArgumentException lists what exists
 * Double v = m.read(summaryTree);                // null when not measured
 * }</pre>
 */
public record Metric(String name, SloUnit unit, String meaning, SloMetric slo) {

    /** The metrics a comparison reports when none are chosen: latency, delivery, throughput and the herd. */
    public static final List<String> DEFAULTS = List.of(
            "p50(send_to_ack)", "p99(send_to_ack)", "p50(send_to_deliver)", "p99(send_to_deliver)",
            "delivered_fraction", "counts.acks", "max(reconnect)", "peak(connect_rate)", "peak(connect_attempt_rate)",
            "converge_time");

    /**
     * What a comparison of the simulator against the real cluster ({@code --vary engine=sim,real})
     * reports when no metrics are chosen: the figures the two worlds must agree on.
     */
    public static final List<String> FIDELITY = List.of(
            "p50(send_to_ack)", "p99(send_to_ack)", "p50(send_to_deliver)", "p99(send_to_deliver)",
            Metric.THROUGHPUT, "peak(connect_rate)", "p50(reconnect)", "max(reconnect)", Metric.SESSIONS_MAX,
            Metric.SESSIONS_MIN);

    /** Deliveries a second while messages were sent: {@code counts.delivers} over {@code quiesce_at}. */
    public static final String THROUGHPUT = "throughput(delivers)";
    /** Sessions on the fullest node at the end of the run, from the history: how a herd landed. */
    public static final String SESSIONS_MAX = "sessions_per_node(max)";
    /** Sessions on the emptiest node that holds any at the end. */
    public static final String SESSIONS_MIN = "sessions_per_node(min)";

    /**
     * What a comparison of stores reports when none are chosen: the run's latency and delivery, and
     * the summary's {@code store} section (a real run's: store op latency, bytes, CPU and GC a message).
     */
    public static final List<String> STORE_DEFAULTS = List.of(
            "p50(send_to_ack)", "p99(send_to_ack)", "p99(send_to_deliver)", "delivered_fraction", "counts.acks",
            "store.messages_per_second", "store.deliveries_per_second", "store.append_p50_us", "store.append_p99_us", "store.append_p999_us",
            "store.read_p50_us", "store.read_p99_us", "store.write_bytes_per_message", "store.node_cpu_us_per_message",
            "store.store_cpu_us_per_message", "store.node_gc_pause_total_us", "store.node_gc_pause_max_us",
            "store.store_gc_pause_total_us", "store.store_gc_pause_max_us");

    private static final String COUNTS = "counts.";
    private static final String STORE = "store.";

    /** The defaults for experiments over {@code keys}: {@link #STORE_DEFAULTS} when one varies the store of a real run. */
    public static List<String> defaultsFor(List<String> keys, boolean real) {
        return real && keys.stream().anyMatch(k -> k.equals("store") || k.startsWith(STORE)) ? STORE_DEFAULTS : DEFAULTS;
    }

    /** The metric written {@code name}; throws IllegalArgumentException saying what may be named. */
    public static Metric named(String name) {
        String n = name.trim();
        if (n.startsWith(COUNTS) && n.length() > COUNTS.length() && n.substring(COUNTS.length()).matches("[a-z_]+")) {
            return new Metric(n, SloUnit.COUNT, "the run's count of " + n.substring(COUNTS.length()).replace('_', ' '), null);
        }
        if (n.equals(THROUGHPUT)) {
            return new Metric(n, SloUnit.RATE, "deliveries per second of sending time (counts.delivers / quiesce_at)", null);
        }
        if (n.equals(SESSIONS_MAX) || n.equals(SESSIONS_MIN)) {
            return new Metric(n, SloUnit.COUNT, "sessions open at the end of the run on the "
                    + (n.equals(SESSIONS_MAX) ? "fullest node" : "emptiest node holding any")
                    + " (from the history; a coarse run's from its model.sessions_per_server_at_end)", null);
        }
        if (n.startsWith(STORE) && n.substring(STORE.length()).matches("[a-z0-9_]+")) {
            String field = n.substring(STORE.length());
            SloUnit unit = field.endsWith("_us") ? SloUnit.TIME : field.endsWith("_per_second") ? SloUnit.RATE : SloUnit.COUNT;
            return new Metric(n, unit, "the store section's " + field.replace('_', ' ') + " (a real run's)", null);
        }
        SloMetric slo = SloMetric.named(n);
        if (slo == null) {
            throw new IllegalArgumentException("unknown metric '" + n + "'; expected one of: " + SloMetric.names()
                    + ", " + THROUGHPUT + ", " + SESSIONS_MAX + ", " + SESSIONS_MIN
                    + ", or counts.NAME (counts.acks, counts.messages, counts.delivers, ...), or store.NAME of a real run"
                    + " (store.append_p99_us, store.write_bytes_per_message, ...)");
        }
        return new Metric(slo.name(), slo.unit(), slo.meaning(), slo);
    }

    public static List<Metric> named(List<String> names) {
        List<Metric> out = new ArrayList<>();
        for (String n : names) {
            Metric m = named(n);
            if (out.stream().anyMatch(o -> o.name().equals(m.name()))) {
                throw new IllegalArgumentException("the metric '" + m.name() + "' is named twice");
            }
            out.add(m);
        }
        return out;
    }

    /** This metric in a run's summary (its JSON tree); null when the run did not measure it. */
    public Double read(JsonNode summary) {
        if (slo != null) {
            SloMetric.Measure measure = slo.read(summary);
            return measure.measured() ? measure.value() : null;
        }
        if (name.equals(THROUGHPUT)) {
            JsonNode delivers = summary.path("counts").path("delivers");
            String quiesce = summary.path("settings").path("quiesce_at").asText("");
            if (!delivers.isNumber() || quiesce.isEmpty()) {
                return null;
            }
            double seconds = Durations.parseMicros(quiesce) / 1e6;
            return seconds > 0 ? delivers.asDouble() / seconds : null;
        }
        if (readsHistory()) {
            return null;
        }
        JsonNode v = name.startsWith(STORE) ? summary.path("store").path(name.substring(STORE.length()))
                : summary.path("counts").path(name.substring(COUNTS.length()));
        return v.isNumber() ? v.asDouble() : null;
    }

    /** This metric of the run in {@code runDir}: the summary's, or what its history says. */
    public Double read(JsonNode summary, Path runDir) throws IOException {
        if (!readsHistory()) {
            return read(summary);
        }
        List<Long> perNode = new ArrayList<>(NodeSessions.atEnd(runDir).values());
        // A coarse run keeps no history; its model counts each server's sessions instead.
        for (JsonNode n : summary.path("model").path("sessions_per_server_at_end")) {
            if (n.asLong() > 0) {
                perNode.add(n.asLong());
            }
        }
        if (perNode.isEmpty()) {
            return null;
        }
        LongSummaryStatistics s = perNode.stream().mapToLong(Long::longValue).summaryStatistics();
        return (double) (name.equals(SESSIONS_MAX) ? s.getMax() : s.getMin());
    }

    private boolean readsHistory() {
        return name.equals(SESSIONS_MAX) || name.equals(SESSIONS_MIN);
    }

    /** A value as a person reads it ({@code 43.8ms}, {@code 0.999}, {@code 797}, {@code 2375/s}). */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        // A mean of counts is rarely whole; the unit's own format would round it away.
        if (unit == SloUnit.COUNT && value != Math.rint(value)) {
            return String.format(java.util.Locale.ROOT, "%.1f", value);
        }
        return unit.format(value);
    }
}
