package dev.chatlab.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatlab.reports.Html;
import dev.chatlab.scenarios.slo.Slo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a capacity search's {@code capacity.json} (the answer and every probed value with its
 * runs and the measured value of each objective) and {@code capacity.html} (the answer, a curve per
 * objective of its worst value over the seeds against the searched key with the bound drawn, and
 * every run linked to its report).
 */
public final class CapacityFiles {

    public static final String JSON_FILE = "capacity.json";
    public static final String HTML_FILE = "capacity.html";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private CapacityFiles() {
    }

    public static List<Path> write(CapacityRunner.Outcome o, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(JSON_FILE);
        Files.writeString(json, JSON.writeValueAsString(json(o)) + "\n", StandardCharsets.UTF_8);
        Path html = dir.resolve(HTML_FILE);
        Files.writeString(html, html(o), StandardCharsets.UTF_8);
        return List.of(json, html);
    }

    /** The one-line answer: {@code the smallest topology.nodes in 1..64 that meets every SLO on seeds 1..3: 5}. */
    public static String answerLine(CapacityRunner.Outcome o) {
        CapacityPlan p = o.plan();
        String what = (p.maximize() ? "the largest " : "the smallest ") + p.key() + " in " + p.lo() + ".." + p.hi()
                + " that holds every invariant and meets every SLO on seeds " + seedsText(p);
        return what + ": " + (o.answer() == null ? "none" + (p.maximize() ? " (" + p.lo() + " already fails)" : " (" + p.hi()
                + " still fails)") : o.answer());
    }

    private static String seedsText(CapacityPlan p) {
        return p.seeds() == 1 ? Long.toString(p.firstSeed()) : p.firstSeed() + ".." + (p.firstSeed() + p.seeds() - 1);
    }

    static Map<String, Object> json(CapacityRunner.Outcome o) {
        CapacityPlan p = o.plan();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scenario", p.scenarioFile().toString().replace('\\', '/'));
        out.put("engine", p.engine().word());
        out.put("set", p.sets());
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("key", p.key());
        search.put("lo", p.lo());
        search.put("hi", p.hi());
        search.put("find", p.maximize() ? "largest passing" : "smallest passing");
        out.put("search", search);
        out.put("slo", p.slos());
        out.put("seeds", p.seeds());
        out.put("first_seed", p.firstSeed());
        out.put("answer", o.answer());
        out.put("answer_line", answerLine(o));
        List<Map<String, Object>> points = new ArrayList<>();
        for (CapacityRunner.Point pt : o.points()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", pt.value());
            m.put("passes", pt.passes());
            m.put("probe", pt.order());
            m.put("worst", worst(p, pt));
            List<Map<String, Object>> runs = new ArrayList<>();
            for (RunRecord r : pt.runs()) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("seed", r.seed());
                run.put("folder", r.folder());
                run.put("report", r.folder() + "/report.html");
                run.put("exit", r.exitCode());
                run.put("problems", r.problems());
                run.put("measured", measured(r));
                runs.add(run);
            }
            m.put("runs", runs);
            points.add(m);
        }
        out.put("points", points);
        return out;
    }

    /** Each objective's measured value in one run, by its text (null when not measured). */
    private static Map<String, Double> measured(RunRecord r) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (r.slo() != null) {
            for (JsonNode result : r.slo().path("results")) {
                JsonNode v = result.path("measured");
                out.put(result.path("slo").asText(), v.isNumber() ? v.asDouble() : null);
            }
        }
        return out;
    }

    /** Each objective's worst value over a point's runs: the largest for an upper bound, the smallest for a lower one. */
    private static Map<String, Double> worst(CapacityPlan p, CapacityRunner.Point pt) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String text : p.slos()) {
            Slo slo = Slo.parse(text);
            boolean upper = slo.op() == Slo.Op.LT || slo.op() == Slo.Op.LE;
            Double w = null;
            for (RunRecord r : pt.runs()) {
                Double v = measured(r).get(text);
                if (v != null) {
                    w = w == null ? v : upper ? Math.max(w, v) : Math.min(w, v);
                }
            }
            out.put(text, w);
        }
        return out;
    }

    static String html(CapacityRunner.Outcome o) {
        CapacityPlan p = o.plan();
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape("chatlab capacity: " + p.scenarioFile().getFileName())).append("</title>\n<style>\n")
                .append(ComparisonHtml.CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>Capacity: ").append(Html.escape(p.scenarioFile().toString().replace('\\', '/'))).append(" <span class=\"badge ")
                .append(o.answer() != null ? "ok\">" + Html.escape(p.key() + " = " + o.answer()) : "bad\">no value passes").append("</span></h1>\n");
        h.append("<section><p>").append(Html.escape(answerLine(o))).append(". Engine <code>").append(p.engine().word())
                .append("</code>.");
        for (String s : p.sets()) {
            h.append(" <code>--set ").append(Html.escape(s)).append("</code>");
        }
        h.append(" Found by galloping from ").append(p.lo()).append(" in doubling steps, then bisecting; it assumes the outcome"
                + " flips once over the range. A value stops at its first failing seed.</p><p>Objectives:</p><ul>");
        for (String s : p.slos()) {
            h.append("<li><code>").append(Html.escape(s)).append("</code></li>");
        }
        h.append("</ul></section>\n<section><h2>Curves</h2><p class=\"muted\">Each objective's worst value over a probed value's"
                + " runs (green: the value passed, red: it failed), the bound dashed.</p>\n");
        int n = o.points().size();
        double[] xs = new double[n];
        boolean[] passes = new boolean[n];
        for (int i = 0; i < n; i++) {
            xs[i] = o.points().get(i).value();
            passes[i] = o.points().get(i).passes();
        }
        for (String text : p.slos()) {
            Slo slo = Slo.parse(text);
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                Double w = worst(p, o.points().get(i)).get(text);
                ys[i] = w == null ? Double.NaN : w;
            }
            h.append(IntervalChart.curve(text, p.key(), v -> slo.metric().unit().format(v), xs, ys, passes, slo.bound()));
        }
        h.append("</section>\n<section><h2>Probes</h2><table><tr><th>").append(Html.escape(p.key()))
                .append("</th><th>probe</th><th>outcome</th><th>runs</th></tr>\n");
        for (CapacityRunner.Point pt : o.points()) {
            h.append("<tr><td class=\"num\">").append(pt.value()).append("</td><td class=\"num\">").append(pt.order()).append("</td><td class=\"")
                    .append(pt.passes() ? "ok\">passed" : "bad\">failed").append("</td><td>");
            for (RunRecord r : pt.runs()) {
                h.append("<a href=\"").append(Html.escape(r.folder())).append("/report.html\">seed ").append(r.seed()).append("</a>")
                        .append(r.failed() ? ": <span class=\"bad\">" + Html.escape(String.join("; ", r.problems())) + "</span>" : "")
                        .append("<br>");
            }
            h.append("</td></tr>\n");
        }
        return h.append("</table></section>\n</main>\n</body>\n</html>\n").toString();
    }
}
