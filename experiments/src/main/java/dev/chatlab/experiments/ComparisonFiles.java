package dev.chatlab.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a comparison's files into the experiment's folder: {@code comparison.json} (everything,
 * runs included), {@code comparison.csv} (a row per metric and variant, for a spreadsheet) and
 * {@code comparison.html} ({@link ComparisonHtml}). Nothing in them depends on the wall clock or on
 * where the folder is, so the same experiment writes the same bytes.
 */
public final class ComparisonFiles {

    public static final String JSON_FILE = "comparison.json";
    public static final String CSV_FILE = "comparison.csv";
    public static final String HTML_FILE = "comparison.html";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ComparisonFiles() {
    }

    /** Writes the three files; returns them. */
    public static List<Path> write(Comparison c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(JSON_FILE);
        Files.writeString(json, JSON.writeValueAsString(json(c)) + "\n", StandardCharsets.UTF_8);
        Path csv = dir.resolve(CSV_FILE);
        Files.writeString(csv, csv(c), StandardCharsets.UTF_8);
        Path html = dir.resolve(HTML_FILE);
        Files.writeString(html, ComparisonHtml.render(c), StandardCharsets.UTF_8);
        return List.of(json, csv, html);
    }

    static Map<String, Object> json(Comparison c) {
        Experiment e = c.prepared().experiment();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> exp = new LinkedHashMap<>();
        exp.put("scenario", e.scenarioFile().toString().replace('\\', '/'));
        // With engine among the varied keys each variant names its own.
        exp.put("engine", c.prepared().variesEngine() ? "varied" : e.engine().word());
        exp.put("set", e.sets());
        List<Map<String, Object>> axes = new ArrayList<>();
        for (VaryAxis a : e.axes()) {
            Map<String, Object> axis = new LinkedHashMap<>();
            axis.put("key", a.key());
            axis.put("written", a.written());
            axis.put("values", a.values());
            axis.put("numeric", a.isNumeric());
            axes.add(axis);
        }
        exp.put("vary", axes);
        exp.put("seeds", c.seeds());
        exp.put("metrics", e.metrics().stream().map(Metric::name).toList());
        exp.put("confidence", Stats.CONFIDENCE);
        if (e.untilCi() != null) {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("half_width_of_mean", e.untilCi());
            target.put("max_seeds", e.maxSeeds());
            target.put("outcome", c.untilCi());
            exp.put("until_ci", target);
        }
        out.put("experiment", exp);
        out.put("ok", c.ok());
        out.put("failures", c.failures().stream().map(r -> r.name() + ": " + String.join("; ", r.problems())).toList());
        List<Map<String, Object>> variants = new ArrayList<>();
        for (Variant v : c.prepared().variants()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", v.id());
            m.put("label", v.label());
            m.put("settings", v.settings());
            m.put("folder", v.folder());
            m.put("runs_failed", c.runsOf(v).values().stream().filter(RunRecord::failed).count());
            variants.add(m);
        }
        out.put("variants", variants);
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Comparison.MetricRow row : c.metrics()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", row.metric().name());
            m.put("unit", row.metric().unit().word());
            m.put("meaning", row.metric().meaning());
            List<Map<String, Object>> cells = new ArrayList<>();
            for (Comparison.Cell cell : row.cells()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("variant", cell.variant().id());
                x.putAll(interval(cell.interval()));
                if (cell.vsFirst() != null) {
                    Map<String, Object> d = new LinkedHashMap<>(interval(cell.vsFirst().difference()));
                    d.put("p_value", number(cell.vsFirst().pValue()));
                    x.put("vs_first", d);
                }
                cells.add(x);
            }
            m.put("by_variant", cells);
            metrics.add(m);
        }
        out.put("metrics", metrics);
        for (FidelityGap.Axis axis : FidelityGap.Axis.values()) {
            List<FidelityGap> on = FidelityGap.on(axis, c.fidelityGaps());
            if (on.isEmpty()) {
                continue;
            }
            // Named by the axis's words: engine_gaps keep their sim and real, level_gaps say coarse and full.
            String a = axis.modelWord();
            String b = axis.referenceWord();
            List<Map<String, Object>> gaps = new ArrayList<>();
            for (FidelityGap g : on) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("metric", g.metric().name());
                m.put("unit", g.metric().unit().word());
                m.put("world", g.world());
                m.put(a + "_variant", g.model().id());
                m.put(b + "_variant", g.reference().id());
                m.put(a, number(g.modelValue()));
                m.put(b, number(g.referenceValue()));
                m.put(a + "_runs", g.modelRuns());
                m.put(b + "_runs", g.referenceRuns());
                m.put("gap", number(g.gap()));
                gaps.add(m);
            }
            out.put(axis.jsonKey(), gaps);
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunRecord r : c.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variant", r.variant().id());
            m.put("seed", r.seed());
            m.put("folder", r.folder());
            m.put("report", r.folder() + "/report.html");
            m.put("exit", r.exitCode());
            m.put("failed", r.failed());
            m.put("invariants_violated", r.violated());
            m.put("problems", r.problems());
            m.put("values", r.values());
            m.put("slo", r.slo());
            runs.add(m);
        }
        out.put("runs", runs);
        return out;
    }

    private static Map<String, Object> interval(Stats.Interval i) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", i.n());
        out.put("mean", number(i.mean()));
        out.put("sd", number(i.sd()));
        out.put("ci95", Double.isNaN(i.halfWidth()) ? null : List.of(i.low(), i.high()));
        out.put("half_width", number(i.halfWidth()));
        return out;
    }

    /** NaN (not enough runs) as JSON null. */
    private static Double number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    static String csv(Comparison c) {
        List<FidelityGap.Axis> axes = java.util.Arrays.stream(FidelityGap.Axis.values())
                .filter(a -> !FidelityGap.on(a, c.fidelityGaps()).isEmpty()).toList();
        boolean gaps = !axes.isEmpty();
        StringBuilder header = new StringBuilder("metric,unit,variant,label,n,mean,ci95_low,ci95_high,half_width,"
                + "diff_vs_first,diff_ci95_low,diff_ci95_high,p_value" + (gaps ? ",median" : ""));
        axes.forEach(a -> header.append(',').append(a.key()).append("_gap_vs_").append(a.referenceWord()));
        StringBuilder out = new StringBuilder(header).append('\n');
        for (Comparison.MetricRow row : c.metrics()) {
            for (Comparison.Cell cell : row.cells()) {
                Stats.Interval i = cell.interval();
                out.append(quote(row.metric().name())).append(',').append(row.metric().unit().word()).append(',')
                        .append(cell.variant().id()).append(',').append(quote(cell.variant().label())).append(',')
                        .append(i.n()).append(',').append(num(i.mean())).append(',').append(num(i.low())).append(',')
                        .append(num(i.high())).append(',').append(num(i.halfWidth()));
                if (cell.vsFirst() == null) {
                    out.append(",,,,");
                } else {
                    Stats.Interval d = cell.vsFirst().difference();
                    out.append(',').append(num(d.mean())).append(',').append(num(d.low())).append(',').append(num(d.high()))
                            .append(',').append(num(cell.vsFirst().pValue()));
                }
                if (gaps) {
                    gapColumns(out, c, axes, row.metric(), cell.variant());
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * A variant's row carries its median, then per axis compared the gap to the same world's reference
     * when the variant is that axis's model (a sim run against the real one, a coarse run against the full one).
     */
    private static void gapColumns(StringBuilder out, Comparison c, List<FidelityGap.Axis> axes, Metric metric, Variant v) {
        double median = Double.NaN;
        for (FidelityGap g : c.fidelityGaps()) {
            if (g.metric() == metric && (g.model() == v || g.reference() == v)) {
                median = g.model() == v ? g.modelValue() : g.referenceValue();
                break;
            }
        }
        out.append(',').append(num(median));
        for (FidelityGap.Axis axis : axes) {
            String gap = "";
            for (FidelityGap g : FidelityGap.on(axis, c.fidelityGaps())) {
                if (g.metric() == metric && g.model() == v) {
                    gap = num(g.gap());
                    break;
                }
            }
            out.append(',').append(gap);
        }
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        // Ten significant digits, never an exponent: a spreadsheet reads 1291937.5 as it is.
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains(" ") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
