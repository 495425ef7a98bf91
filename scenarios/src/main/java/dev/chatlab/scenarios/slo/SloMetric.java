package dev.chatlab.scenarios.slo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatlab.scenarios.Durations;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The metrics an SLO may name, each read from a run's {@code summary.json} (as a JSON tree), so
 * that every engine is judged from what it measured and wrote: a metric whose block is missing
 * from a summary, or that has no samples, is {@linkplain Measure#notMeasured not measured}.
 *
 * <pre>{@code
 * SloMetric m = SloMetric.named("p99(send_to_ack)");          // null when unknown
 * SloMetric.Measure v = m.read(summaryTree);                  // v.value() in microseconds, or a reason
 * }</pre>
 *
 * @param name    as an SLO writes it: {@code p99(send_to_ack)}, {@code converge_time}
 * @param unit    what the value counts
 * @param engines which runs measure it, for the docs and for the reason of a "not measured"
 * @param meaning one sentence, for the docs
 */
public record SloMetric(String name, SloUnit unit, String engines, String meaning, Function<JsonNode, Measure> reader) {

    private record Latency(String name, List<String> path, String engines, String meaning) {
    }

    /** A measured value, or why there is none. */
    public record Measure(Double value, String notMeasured) {
        static Measure of(double value) {
            return new Measure(value, null);
        }

        static Measure notMeasured(String reason) {
            return new Measure(null, reason);
        }

        public boolean measured() {
            return value != null;
        }
    }

    /** Percentile statistics the latency blocks carry, as {@code <stat>(<latency>)}. */
    static final List<String> STATS = List.of("p50", "p90", "p99", "p999", "max");
    /** The latencies a summary carries: where, which engines measure them, what they time. */
    private static final List<Latency> LATENCIES = List.of(
            new Latency("send_to_ack", List.of("latency_us", "send_to_ack"), "sim full, sim coarse, real",
                    "from a message's first send to its ack"),
            new Latency("send_to_deliver", List.of("latency_us", "send_to_deliver"), "sim full, sim coarse, real",
                    "from a message's first send to each delivery"),
            new Latency("send_to_pull", List.of("latency_us", "send_to_pull"), "sim coarse",
                    "from a message's first send to a member pulling it (groups above the hybrid threshold)"),
            new Latency("reconnect", List.of("reconnect_us"), "sim full, sim coarse, real",
                    "from a device losing its connection to being connected again (a user going offline on purpose"
                            + " is not counted)"));
    private static final Map<String, SloMetric> ALL = catalogue();

    /** The metric written {@code name} (spaces ignored), or null. */
    public static SloMetric named(String name) {
        return ALL.get(name.replace(" ", ""));
    }

    /** Every metric, in the order the docs list them. */
    public static List<SloMetric> all() {
        return List.copyOf(ALL.values());
    }

    /** The names an SLO may use, compactly, for an error message: latencies with the same statistics grouped. */
    public static String names() {
        List<String> out = new ArrayList<>();
        String lastStats = null;
        for (Latency latency : LATENCIES) {
            String stats = String.join("|", STATS.stream().filter(stat -> ALL.containsKey(stat + "(" + latency.name() + ")")).toList());
            if (stats.equals(lastStats)) {
                String last = out.remove(out.size() - 1);
                out.add(last.substring(0, last.length() - 1) + "|" + latency.name() + ")");
            } else {
                out.add(stats + "(" + latency.name() + ")");
            }
            lastStats = stats;
        }
        ALL.keySet().stream().filter(n -> !n.contains("(") || n.startsWith("peak")).forEach(out::add);
        return String.join(", ", out);
    }

    public Measure read(JsonNode summary) {
        return reader.apply(summary);
    }

    private static Map<String, SloMetric> catalogue() {
        Map<String, SloMetric> out = new LinkedHashMap<>();
        for (Latency latency : LATENCIES) {
            for (String stat : STATS) {
                if (stat.equals("p90") && latency.name().equals("reconnect")) {
                    continue;   // only the coarse model reports a p90: an SLO on it would hold one level only
                }
                String name = stat + "(" + latency.name() + ")";
                out.put(name, new SloMetric(name, SloUnit.TIME, stat.equals("p90") ? "sim coarse" : latency.engines(),
                        statWords(stat) + " of the time " + latency.meaning(), summary -> latency(summary, latency, stat)));
            }
        }
        put(out, "converge_time", SloUnit.TIME, "sim full, real",
                "time after the quiesce until every live device had every message it is owed (convergence.time_to_converge_us)",
                SloMetric::convergeTime);
        put(out, "delivered_fraction", SloUnit.FRACTION, "sim full, real",
                "deliveries made over deliveries owed at the end of the run: delivers / (delivers + convergence.owed_at_end.deliveries)",
                SloMetric::deliveredFraction);
        put(out, "ack_fraction", SloUnit.FRACTION, "sim full, sim coarse, real",
                "messages acknowledged over messages sent (counts.acks / counts.messages)",
                summary -> ratio(summary, "acks", "messages"));
        put(out, "fails", SloUnit.COUNT, "sim full, sim coarse, real", "sends that failed (counts.fails)",
                summary -> count(summary, "fails"));
        put(out, "indeterminate", SloUnit.COUNT, "sim full, real",
                "messages with neither an ack nor a fail (counts.indeterminate)", summary -> count(summary, "indeterminate"));
        put(out, "peak(connect_rate)", SloUnit.RATE, "sim full, sim coarse, real",
                "the most device connections in any one second of the run (counts.peak_connects_1s), after the first"
                        + " second's logins",
                summary -> peakRate(summary, "connects"));
        put(out, "peak(connect_attempt_rate)", SloUnit.RATE, "sim full",
                "the most connection attempts (refused ones included) per second in one bucket, after the first second",
                summary -> peakRate(summary, "connect_attempts"));
        return Collections.unmodifiableMap(out);
    }

    private static void put(Map<String, SloMetric> out, String name, SloUnit unit, String engines, String meaning,
                            Function<JsonNode, Measure> reader) {
        out.put(name, new SloMetric(name, unit, engines, meaning, reader));
    }

    private static String statWords(String stat) {
        return switch (stat) {
            case "max" -> "the longest";
            case "p999" -> "the 99.9th percentile";
            default -> "the " + stat.substring(1) + "th percentile";
        };
    }

    private static Measure latency(JsonNode summary, Latency latency, String stat) {
        JsonNode block = summary;
        for (String key : latency.path()) {
            block = block.path(key);
        }
        if (block.isMissingNode()) {
            return Measure.notMeasured("this run's summary has no " + latency.name() + " latency; measured by: " + latency.engines());
        }
        if (block.path("count").asLong(0) == 0) {
            return Measure.notMeasured("no " + latency.name() + " samples in this run");
        }
        JsonNode value = block.path(stat + "_us");
        if (!value.isNumber()) {
            return Measure.notMeasured("this engine does not report " + stat + " of " + latency.name());
        }
        return Measure.of(value.asDouble());
    }

    private static Measure convergeTime(JsonNode summary) {
        JsonNode c = summary.path("convergence");
        if (c.isMissingNode()) {
            return Measure.notMeasured("this run's summary has no convergence section; measured by: sim full, real");
        }
        if (!c.has("converged")) {
            // The coarse level writes why it cannot tell instead.
            return Measure.notMeasured(c.path("reason").asText("this run's summary does not say whether it converged"));
        }
        if (!c.path("converged").asBoolean(false)) {
            return Measure.notMeasured("the run did not converge: " + c.path("line").asText("no time to converge"));
        }
        return Measure.of(c.path("time_to_converge_us").asDouble());
    }

    private static Measure deliveredFraction(JsonNode summary) {
        JsonNode owed = summary.path("convergence").path("owed_at_end").path("deliveries");
        JsonNode delivers = summary.path("counts").path("delivers");
        if (!owed.isNumber() || !delivers.isNumber()) {
            return Measure.notMeasured("this run's summary has no convergence.owed_at_end; measured by: sim full, real");
        }
        double total = delivers.asDouble() + owed.asDouble();
        if (total == 0) {
            return Measure.notMeasured("no deliveries were owed in this run");
        }
        return Measure.of(delivers.asDouble() / total);
    }

    private static Measure ratio(JsonNode summary, String part, String whole) {
        JsonNode p = summary.path("counts").path(part);
        JsonNode w = summary.path("counts").path(whole);
        if (!p.isNumber() || !w.isNumber()) {
            return Measure.notMeasured("this run's summary has no counts." + (p.isNumber() ? whole : part));
        }
        if (w.asDouble() == 0) {
            return Measure.notMeasured("no " + whole + " in this run");
        }
        return Measure.of(p.asDouble() / w.asDouble());
    }

    private static Measure count(JsonNode summary, String key) {
        JsonNode n = summary.path("counts").path(key);
        return n.isNumber() ? Measure.of(n.asDouble()) : Measure.notMeasured("this run's summary has no counts." + key);
    }

    /**
     * The tallest bucket of a per-bucket series as a rate: the sim's {@code over_time} (bucket
     * written as a duration), the coarse model's {@code timeseries} (interval in microseconds), a
     * real run's {@code reconnect_curve} (one point per second). Buckets starting before 1 s are
     * the initial logins, not a herd, and are left out.
     */
    private static Measure peakRate(JsonNode summary, String series) {
        JsonNode sliding = summary.path("counts").path("peak_connects_1s");
        if (series.equals("connects") && sliding.isNumber()) {
            return Measure.of(sliding.asDouble());
        }
        List<double[]> buckets = new ArrayList<>();   // {start_us, count, length_us}
        JsonNode overTime = summary.path("over_time");
        JsonNode timeseries = summary.path("timeseries");
        JsonNode curve = summary.path("reconnect_curve");
        if (overTime.path(series).isArray()) {
            long bucket = Durations.parseMicros(overTime.path("bucket").asText());
            JsonNode counts = overTime.path(series);
            for (int i = 0; i < counts.size(); i++) {
                buckets.add(new double[] {(double) i * bucket, counts.get(i).asDouble(), bucket});
            }
        } else if (timeseries.path(series).isArray()) {
            long interval = timeseries.path("interval_us").asLong();
            JsonNode counts = timeseries.path(series);
            for (int i = 0; i < counts.size(); i++) {
                buckets.add(new double[] {(double) i * interval, counts.get(i).asDouble(), interval});
            }
        } else if (curve.isArray() && series.equals("connects")) {
            for (JsonNode point : curve) {
                buckets.add(new double[] {point.path("second").asDouble() * 1e6, point.path(series).asDouble(), 1e6});
            }
        } else {
            return Measure.notMeasured("this run's summary has no per-bucket series of " + series);
        }
        double peak = -1;
        for (double[] b : buckets) {
            if (b[0] >= 1_000_000 && b[2] > 0) {
                peak = Math.max(peak, b[1] / (b[2] / 1e6));
            }
        }
        return peak < 0 ? Measure.notMeasured("the run's series has no bucket after the first second") : Measure.of(peak);
    }
}
