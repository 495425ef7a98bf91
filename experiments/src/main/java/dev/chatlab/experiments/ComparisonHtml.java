package dev.chatlab.experiments;

import dev.chatlab.reports.Html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code comparison.html}: one self-contained page (inline CSS and SVG, no script, no CDN) with
 * what was run, whether every run passed (the failures named), a table of every metric's mean,
 * interval and paired difference against the first variant, a chart per metric (and, when the
 * only varied key is numeric, the metric against it with its interval band), and every run with
 * its verdict, its SLOs and a link to its own report.
 */
final class ComparisonHtml {

    static final String CSS = """
            body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
            main{max-width:1100px;margin:0 auto;padding:20px}
            section{background:#fff;border:1px solid #dde0e6;border-radius:6px;padding:14px 18px;margin:14px 0}
            h1{font-size:22px;margin:8px 0} h2{font-size:17px;margin:4px 0 10px}
            table{border-collapse:collapse;font-size:13px} td,th{border-bottom:1px solid #e3e5ea;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f0f2f5} .num{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#1a7f37;font-weight:bold} .bad{color:#c62828;font-weight:bold} .muted{color:#667}
            .badge{display:inline-block;padding:2px 10px;border-radius:10px;color:#fff;font-weight:bold}
            .badge.ok{background:#1a7f37;color:#fff} .badge.bad{background:#c62828;color:#fff}
            code{background:#f0f2f5;padding:1px 4px;border-radius:3px}
            """;

    private ComparisonHtml() {
    }

    static String render(Comparison c) {
        Experiment e = c.prepared().experiment();
        List<Variant> variants = c.prepared().variants();
        boolean ok = c.ok();
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Html.escape("chatlab compare: " + e.scenarioFile().getFileName())).append("</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        h.append("<h1>Comparison: ").append(Html.escape(e.scenarioFile().toString().replace('\\', '/'))).append(" <span class=\"badge ")
                .append(ok ? "ok\">every run passed" : "bad\">" + (c.judgedNothing() ? "judged nothing" : c.failures().size() + " run"
                        + (c.failures().size() == 1 ? "" : "s") + " failed")).append("</span></h1>\n");
        h.append("<section><p>Engine <code>").append(e.engine().word()).append("</code>; seeds <code>")
                .append(Html.escape(seedsText(c.seeds()))).append("</code>, the same for every variant (common random numbers).");
        if (!e.sets().isEmpty()) {
            h.append(" Every run with");
            for (String s : e.sets()) {
                h.append(" <code>--set ").append(Html.escape(s)).append("</code>");
            }
            h.append('.');
        }
        h.append(" Means with ").append(Math.round(Stats.CONFIDENCE * 100)).append("% Student-t intervals; each variant")
                .append(" against ").append(variants.get(0).id()).append(" as a paired difference over the seeds both measured,")
                .append(" with the paired t-test's two-sided p-value.");
        if (c.untilCi() != null) {
            h.append(" Interval target (half-width within ").append(percent(e.untilCi())).append(" of the mean): ")
                    .append(Html.escape(c.untilCi())).append('.');
        }
        h.append("</p>\n<table><tr><th>variant</th><th>settings</th><th>runs failed</th></tr>\n");
        for (Variant v : variants) {
            long failed = c.runsOf(v).values().stream().filter(RunRecord::failed).count();
            h.append("<tr><td>").append(v.id()).append("</td><td><code>").append(Html.escape(v.label())).append("</code></td><td class=\"")
                    .append(failed == 0 ? "ok" : "bad").append("\">").append(failed).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!c.failures().isEmpty()) {
            h.append("<p class=\"bad\">Failed runs:</p><ul>\n");
            for (RunRecord r : c.failures()) {
                h.append("<li><a href=\"").append(Html.escape(r.folder())).append("/report.html\">").append(Html.escape(r.name()))
                        .append("</a>: ").append(Html.escape(String.join("; ", r.problems()))).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("</section>\n");
        fidelityGaps(h, c);
        table(h, c);
        charts(h, c);
        runs(h, c);
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    /** With the engine or the level varied, first: each metric both ways and how far the model is from its reference. */
    private static void fidelityGaps(StringBuilder h, Comparison c) {
        for (FidelityGap.Axis axis : FidelityGap.Axis.values()) {
            List<FidelityGap> gaps = FidelityGap.on(axis, c.fidelityGaps());
            if (gaps.isEmpty()) {
                continue;
            }
            String title = Character.toUpperCase(axis.title().charAt(0)) + axis.title().substring(1);
            h.append("<section><h2>").append(Html.escape(title)).append("</h2><p class=\"muted\">Each value is the median over")
                    .append(" the seeds its variant measured; the gap is ").append(Html.escape(axis.formula()).replace(" - ", " &minus; "))
                    .append(".</p>\n<table><tr><th>world</th><th>metric</th><th>").append(axis.modelWord()).append("</th><th>")
                    .append(axis.referenceWord()).append("</th><th>gap</th></tr>\n");
            for (FidelityGap g : gaps) {
                Metric m = g.metric();
                h.append("<tr><td><code>").append(Html.escape(g.world())).append("</code></td><td title=\"")
                        .append(Html.escape(m.meaning())).append("\"><code>").append(Html.escape(m.name())).append("</code></td>")
                        .append("<td class=\"num\">").append(Html.escape(m.format(g.modelValue()))).append(" <span class=\"muted\">")
                        .append(g.model().id()).append(", n=").append(g.modelRuns()).append("</span></td>")
                        .append("<td class=\"num\">").append(Html.escape(m.format(g.referenceValue()))).append(" <span class=\"muted\">")
                        .append(g.reference().id()).append(", n=").append(g.referenceRuns()).append("</span></td>")
                        .append("<td class=\"num\">").append(Html.escape(g.gapText())).append("</td></tr>\n");
            }
            h.append("</table></section>\n");
        }
    }

    private static void table(StringBuilder h, Comparison c) {
        List<Variant> variants = c.prepared().variants();
        h.append("<section><h2>Metrics</h2><table><tr><th>metric</th>");
        for (Variant v : variants) {
            h.append("<th>").append(v.id()).append("</th>");
        }
        h.append("</tr>\n");
        for (Comparison.MetricRow row : c.metrics()) {
            Metric m = row.metric();
            h.append("<tr><td title=\"").append(Html.escape(m.meaning())).append("\"><code>").append(Html.escape(m.name()))
                    .append("</code></td>");
            for (Comparison.Cell cell : row.cells()) {
                Stats.Interval i = cell.interval();
                h.append("<td class=\"num\">");
                if (i.n() == 0) {
                    h.append("<span class=\"muted\">not measured</span></td>");
                    continue;
                }
                h.append(Html.escape(m.format(i.mean()))).append(Double.isNaN(i.halfWidth()) ? ""
                        : " &plusmn; " + Html.escape(m.format(i.halfWidth()))).append(" <span class=\"muted\">n=").append(i.n()).append("</span>");
                if (cell.vsFirst() != null && cell.vsFirst().difference().n() > 0) {
                    Stats.Interval d = cell.vsFirst().difference();
                    double p = cell.vsFirst().pValue();
                    h.append("<br><span class=\"").append(!Double.isNaN(p) && p < 0.05 ? "" : "muted").append("\">&Delta; ")
                            .append(Html.escape(signed(m, d.mean())));
                    if (!Double.isNaN(d.halfWidth())) {
                        h.append(" [").append(Html.escape(signed(m, d.low()))).append(", ").append(Html.escape(signed(m, d.high()))).append(']');
                    }
                    h.append(Double.isNaN(p) ? "" : String.format(Locale.ROOT, " p=%.3g", p)).append("</span>");
                }
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void charts(StringBuilder h, Comparison c) {
        List<Variant> variants = c.prepared().variants();
        List<VaryAxis> axes = c.prepared().experiment().axes();
        // The numeric axis with the most values makes the best x axis; the others become lines.
        VaryAxis numeric = null;
        for (VaryAxis a : axes) {
            if (a.isNumeric() && (numeric == null || a.values().size() > numeric.values().size())) {
                numeric = a;
            }
        }
        h.append("<section><h2>Charts</h2><p class=\"muted\">Bars are means, whiskers their intervals")
                .append(numeric != null ? "; the line charts draw each metric against " + Html.escape(numeric.key())
                        + " with its interval as a band and every run as a dot"
                        + (axes.size() > 1 ? ", a line for each combination of the other varied keys" : "") : "").append(".</p>\n");
        for (Comparison.MetricRow row : c.metrics()) {
            if (!row.measured()) {
                continue;
            }
            int n = variants.size();
            double[] means = new double[n];
            double[] lows = new double[n];
            double[] highs = new double[n];
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Stats.Interval in = row.cells().get(i).interval();
                means[i] = in.mean();
                lows[i] = in.low();
                highs[i] = in.high();
                labels.add(variants.get(i).id() + " " + shortLabel(variants.get(i)));
            }
            Metric m = row.metric();
            if (numeric != null) {
                h.append(IntervalChart.line(m.name() + " against " + numeric.key(), numeric.key() + (numeric.duration() ? " (s)" : ""),
                        m::format, numeric.numeric(), series(c, row, numeric)));
            }
            h.append(IntervalChart.bars(m.name(), m::format, labels, means, lows, highs));
        }
        h.append("</section>\n");
    }

    /**
     * One series per combination of the other varied keys' values, each a point per value of the
     * numeric axis: the matrix holds every combination, so each series is complete.
     */
    private static List<IntervalChart.Series> series(Comparison c, Comparison.MetricRow row, VaryAxis numeric) {
        Map<String, List<Comparison.Cell>> groups = new java.util.LinkedHashMap<>();
        for (Comparison.Cell cell : row.cells()) {
            List<String> others = new ArrayList<>();
            cell.variant().settings().forEach((k, v) -> {
                if (!k.equals(numeric.key())) {
                    others.add(k.substring(k.lastIndexOf('.') + 1) + "=" + v);
                }
            });
            groups.computeIfAbsent(String.join(" ", others), k -> new ArrayList<>()).add(cell);
        }
        List<IntervalChart.Series> out = new ArrayList<>();
        int n = numeric.values().size();
        for (Map.Entry<String, List<Comparison.Cell>> g : groups.entrySet()) {
            double[] means = new double[n];
            double[] lows = new double[n];
            double[] highs = new double[n];
            double[][] seeds = new double[n][];
            for (Comparison.Cell cell : g.getValue()) {
                int i = numeric.values().indexOf(cell.variant().settings().get(numeric.key()));
                means[i] = cell.interval().mean();
                lows[i] = cell.interval().low();
                highs[i] = cell.interval().high();
                seeds[i] = c.runsOf(cell.variant()).values().stream().map(r -> r.values().get(row.metric().name()))
                        .filter(v -> v != null).mapToDouble(Double::doubleValue).sorted().toArray();
            }
            out.add(new IntervalChart.Series(g.getKey(), means, lows, highs, seeds));
        }
        return out;
    }

    private static void runs(StringBuilder h, Comparison c) {
        h.append("<section><h2>Runs</h2><table><tr><th>variant</th><th>seed</th><th>verdict</th><th>SLOs</th>");
        for (Metric m : c.prepared().experiment().metrics()) {
            h.append("<th>").append(Html.escape(m.name())).append("</th>");
        }
        h.append("<th>report</th></tr>\n");
        for (RunRecord r : c.runs()) {
            h.append("<tr><td>").append(r.variant().id()).append("</td><td>").append(r.seed()).append("</td><td class=\"")
                    .append(r.failed() ? "bad\">" + Html.escape(String.join("; ", r.problems())) : "ok\">ok").append("</td><td>")
                    .append(slos(r)).append("</td>");
            for (Metric m : c.prepared().experiment().metrics()) {
                Double v = r.values().get(m.name());
                h.append("<td class=\"num\">").append(v == null ? "-" : Html.escape(m.format(v))).append("</td>");
            }
            h.append("<td><a href=\"").append(Html.escape(r.folder())).append("/report.html\">report</a></td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static String slos(RunRecord r) {
        if (r.slo() == null) {
            return "<span class=\"muted\">none</span>";
        }
        StringBuilder out = new StringBuilder();
        for (var result : r.slo().path("results")) {
            boolean met = result.path("met").asBoolean();
            out.append("<span class=\"").append(met ? "ok" : "bad").append("\" title=\"").append(Html.escape(result.path("message").asText()))
                    .append("\">").append(met ? "&#10003; " : "&#10007; ").append(Html.escape(result.path("slo").asText())).append("</span><br>");
        }
        return out.toString();
    }

    private static String shortLabel(Variant v) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : v.settings().entrySet()) {
            String key = e.getKey();
            parts.add(key.substring(key.lastIndexOf('.') + 1) + "=" + e.getValue());
        }
        String s = String.join(" ", parts);
        return s.length() > 34 ? s.substring(0, 33) + "\u2026" : s;
    }

    private static String signed(Metric m, double v) {
        return (v > 0 ? "+" : v < 0 ? "-" : "") + m.format(Math.abs(v));
    }

    static String seedsText(List<Long> seeds) {
        if (seeds.isEmpty()) {
            return "none";
        }
        boolean consecutive = true;
        for (int i = 1; i < seeds.size(); i++) {
            consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        }
        return consecutive && seeds.size() > 2 ? seeds.get(0) + ".." + seeds.get(seeds.size() - 1)
                : String.join(", ", seeds.stream().map(String::valueOf).toList());
    }

    static String percent(double fraction) {
        return IntervalChart.trim(fraction * 100) + "%";
    }
}
