package dev.chatlab.scenarios.slo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatlab.checker.Verdict;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.checker.output.VerdictJunit;
import dev.chatlab.scenarios.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last step of every run, in every engine: judges the scenario's SLOs from the summary the
 * run just wrote, and records them, with the command line's {@code --set} overrides, in
 * {@code summary.json} ({@code overrides}, {@code slo}), {@code verdict.json} ({@code slo}) and
 * {@code verdict.xml} (a test case per SLO, class {@link #JUNIT_CLASS}). A scenario with neither
 * leaves the run's files exactly as the engine wrote them.
 *
 * <pre>{@code
 * // after the engine wrote summary.json, verdict.json and verdict.xml from `summary` and `verdict`:
 * List<SloResult> slos = RunSlos.record(scenario, summary, verdict, outDir, "history.jsonl.gz", out);
 * boolean met = SloResult.allMet(slos);   // a run that missed one exits 1
 * }</pre>
 */
public final class RunSlos {

    /** The JUnit class of the SLO test cases. */
    public static final String JUNIT_CLASS = "chatlab-slo";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper COMPACT = JsonMapper.builder().build();

    private RunSlos() {
    }

    /**
     * Judges and records; {@code summary} gains the sections too (the caller's map), and
     * {@code out} (may be null) gets the console lines. Returns the results in the file's order.
     */
    public static List<SloResult> record(Scenario scenario, Map<String, Object> summary, Verdict verdict, Path outDir,
                                         String historySource, PrintStream out) throws IOException {
        if (scenario.slos().isEmpty() && scenario.overrides().isEmpty()) {
            return List.of();
        }
        if (!scenario.overrides().isEmpty()) {
            insertAfter(summary, "settings", "overrides", scenario.overrides());
        }
        List<SloResult> results = judge(scenario.slos(), COMPACT.valueToTree(summary));
        if (!results.isEmpty()) {
            summary.put("slo", SloResult.section(results));
        }
        Files.writeString(outDir.resolve("summary.json"), JSON.writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);
        if (!results.isEmpty()) {
            ObjectNode json = (ObjectNode) COMPACT.readTree(VerdictJson.toJson(verdict));
            json.set("slo", COMPACT.valueToTree(SloResult.section(results)));
            Files.writeString(outDir.resolve("verdict.json"), COMPACT.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve("verdict.xml"), VerdictJunit.toXml(verdict, historySource, junitCases(results)),
                    StandardCharsets.UTF_8);
        }
        if (out != null) {
            out.print(render(results));
            out.flush();
        }
        return results;
    }

    /** Each objective judged from a summary's JSON tree. */
    public static List<SloResult> judge(List<Slo> slos, JsonNode summary) {
        return slos.stream().map(slo -> slo.judge(summary)).toList();
    }

    static List<VerdictJunit.ExtraCase> junitCases(List<SloResult> results) {
        List<VerdictJunit.ExtraCase> out = new ArrayList<>();
        for (SloResult r : results) {
            out.add(new VerdictJunit.ExtraCase(JUNIT_CLASS, r.slo().text(),
                    r.met() ? null : r.slo().text() + ": " + r.message()));
        }
        return out;
    }

    /**
     * The console's SLO lines: one per objective and a last line, {@code slo: every objective met}
     * or {@code FAILED: SLO violated: p99(send_to_ack) < 1s}; nothing when there are none.
     */
    public static String render(List<SloResult> results) {
        if (results.isEmpty()) {
            return "";
        }
        int width = 0;
        for (SloResult r : results) {
            width = Math.max(width, r.slo().text().length());
        }
        long met = results.stream().filter(SloResult::met).count();
        StringBuilder out = new StringBuilder("slo: " + met + " of " + results.size() + " met\n");
        for (SloResult r : results) {
            out.append("  ").append(r.slo().text()).append(" ".repeat(width - r.slo().text().length())).append("  ")
                    .append(r.met() ? "met: " : r.measured() == null ? "FAILED, " : "VIOLATED: ").append(r.message())
                    .append('\n');
        }
        List<String> failed = results.stream().filter(r -> !r.met()).map(r -> r.slo().text()).toList();
        if (!failed.isEmpty()) {
            out.append("FAILED: SLO").append(failed.size() == 1 ? "" : "s").append(" not met: ")
                    .append(String.join("; ", failed)).append('\n');
        }
        return out.toString();
    }

    /** Puts {@code key} right after {@code after} (at the end if there is no such key), keeping the order of the rest. */
    private static void insertAfter(Map<String, Object> map, String after, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        map.clear();
        for (var e : copy.entrySet()) {
            if (!e.getKey().equals(key)) {
                map.put(e.getKey(), e.getValue());
            }
            if (e.getKey().equals(after)) {
                map.put(key, value);
            }
        }
        map.putIfAbsent(key, value);
    }
}
