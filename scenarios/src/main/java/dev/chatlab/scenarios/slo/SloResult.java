package dev.chatlab.scenarios.slo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SLO judged: the measured value (null when the run did not measure it) and whether the
 * objective was met. A value that was not measured is never met.
 *
 * @param reason why there is no measured value (the run's summary has no such block, no samples), or null
 */
public record SloResult(Slo slo, Double measured, boolean met, String reason) {

    /** What verdicts and summaries call the outcome: {@code met}, {@code violated} or {@code not-measured}. */
    public String status() {
        return met ? "met" : measured == null ? "not-measured" : "violated";
    }

    /** {@code measured 193.9ms, bound < 200ms} or {@code not measured (no send_to_pull samples in this run), bound < 1s}. */
    public String message() {
        if (measured == null) {
            return "not measured (" + reason + "), bound " + slo.op().symbol() + " " + slo.boundText();
        }
        return "measured " + slo.metric().unit().format(measured) + ", bound " + slo.op().symbol() + " " + slo.boundText();
    }

    /** The result in summary.json and verdict.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("slo", slo.text());
        out.put("metric", slo.metric().name());
        out.put("unit", slo.metric().unit().word());
        out.put("op", slo.op().symbol());
        out.put("bound", number(slo.bound()));
        out.put("measured", measured == null ? null : number(measured));
        out.put("status", status());
        out.put("met", met);
        out.put("message", message());
        return out;
    }

    /** The {@code slo} section: whether every objective was met, and each result in the file's order. */
    public static Map<String, Object> section(List<SloResult> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("met", allMet(results));
        out.put("violated", results.stream().filter(r -> !r.met()).map(r -> r.slo().text()).toList());
        out.put("results", results.stream().map(SloResult::toMap).toList());
        return out;
    }

    public static boolean allMet(List<SloResult> results) {
        return results.stream().allMatch(SloResult::met);
    }

    /** Whole values as integers, so that microseconds and counts read as such in JSON. */
    private static Object number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }
}
