package dev.chatlab.reports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatlab.checker.output.VerdictSummary;
import dev.chatlab.stats.RunMetrics;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@code report.html}: one self-contained page (inline CSS and SVG, no script, no external
 * resource) with the run header and settings, the verdict table, latency percentiles, charts over
 * run time with the injected faults marked, and the counts.
 *
 * <pre>{@code
 * String html = HtmlReport.render(RunFolder.open(dir), metricsOrNull);
 * }</pre>
 *
 * <p>With {@code metrics} (measured from the history) the latency table and charts come from
 * those; without (a coarse run keeps no history) they come from the summary's {@code latency_us}
 * and {@code timeseries} blocks.
 */
final class HtmlReport {

    /** Section ids; tests look for them, and the page's table of contents links to them. */
    static final List<String> SECTIONS = List.of("run", "verdict", "latency", "chart-latency", "chart-connections",
            "chart-reconnects", "chart-throughput", "faults", "counts");

    /** As many as the terminal's summary shows, so that the page and the console agree. */
    private static final int EXAMPLES_SHOWN = 3;
    private static final int EXAMPLE_CHARS_MAX = 400;

    private static final String CSS = """
            body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
            main{max-width:1100px;margin:0 auto;padding:20px 24px 48px}
            h1{font-size:22px;margin:4px 0 2px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d8dce3;padding-bottom:4px}
            .sub{color:#5b6475;font-size:13px;margin-bottom:10px}
            .badge{display:inline-block;padding:2px 10px;border-radius:10px;font-weight:600;font-size:13px;color:#fff}
            .badge.pass{background:#2e8540}.badge.fail{background:#c62828}.badge.na{background:#8a93a3}
            table{border-collapse:collapse;background:#fff;font-size:13px;margin:4px 0 8px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
            th,td{border:1px solid #e1e4ea;padding:5px 10px;text-align:left;vertical-align:top}
            th{background:#eef0f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.ok{color:#2e8540;font-weight:600}td.bad{color:#c62828;font-weight:600}td.na{color:#6b7280}
            pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:11px;max-width:620px}
            .ex{font-size:12px;max-width:700px;margin:0 0 3px}.ex::before{content:"\\2022  ";color:#8a93a3}
            td .note{display:block}
            .grid2{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
            svg.chart{width:100%;height:auto;background:#fff;margin:6px 0 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
            svg .grid{stroke:#eceef2}svg .axis{stroke:#7a8292}svg .fault{stroke:#d32f2f;stroke-dasharray:5 4;stroke-width:1.3}svg .quiesce{stroke:#3556a8;stroke-dasharray:1 3;stroke-width:1.6}
            svg text{font-size:11px;fill:#4a5262}svg .ct{font-size:13px;font-weight:600;fill:#1d2330}
            svg .yl{text-anchor:end}svg .xl,svg .xt{text-anchor:middle}svg .yt{text-anchor:middle}svg .fl{fill:#c62828;font-size:10px}svg .ql{fill:#3556a8;font-size:10px}
            nav a{margin-right:12px;font-size:13px;color:#3556a8;text-decoration:none}
            .note{font-size:12px;color:#5b6475}
            """;

    private HtmlReport() {
    }

    static String render(RunFolder run, RunMetrics metrics) {
        JsonNode summary = run.summary();
        TimeSeries series = metrics != null ? TimeSeries.of(metrics) : TimeSeries.fromSummary(summary);
        List<FaultMark> faults = run.faults();
        String scenario = run.text("scenario", run.dir().getFileName() == null ? "run" : run.dir().getFileName().toString());
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>chatlab report: ")
                .append(Html.escape(scenario)).append(" seed ").append(Html.escape(run.text("seed", "?")))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        header(h, run, scenario);
        h.append("<nav>");
        String[][] links = {{"verdict", "verdict"}, {"latency", "percentiles"}, {"chart-latency", "latency over time"},
            {"chart-connections", "connections"}, {"chart-reconnects", "reconnects"}, {"chart-throughput", "throughput"},
            {"faults", "faults"}, {"counts", "counts"}, {"settings", "settings"}};
        for (String[] link : links) {
            h.append("<a href=\"#").append(link[0]).append("\">").append(link[1]).append("</a>");
        }
        h.append("</nav>\n");
        verdict(h, run);
        slo(h, summary.path("slo"));
        latency(h, summary, metrics);
        nodeWork(h, summary.path("node_work"));
        Long duration = RunFolder.parseDuration(summary.path("settings").path("duration").asText(""));
        Long quiesceAt = RunFolder.parseDuration(summary.path("settings").path("quiesce_at").asText(""));
        charts(h, series, new Marks(faults, quiesceAt == null ? Double.NaN : quiesceAt / 1e6), duration == null ? 0 : duration / 1e6);
        faultTable(h, summary, faults);
        counts(h, summary, metrics);
        settings(h, summary.path("settings"));
        h.append("<p class=\"note\">Generated by chatlab from ").append(Html.escape(String.valueOf(run.dir().getFileName())))
                .append(". Latencies are measured from a message's first send; interval histograms are in send-ack.hlog and send-deliver.hlog.</p>\n");
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, RunFolder run, String scenario) {
        JsonNode valid = run.verdict().get("valid");
        String level = run.text("level", "full");
        h.append("<section id=\"run\">\n<h1>").append(Html.escape(scenario)).append(" ");
        if (valid == null || valid.isNull() || nothingJudged(run.verdict())) {
            h.append("<span class=\"badge na\">not checked</span>");
        } else if (valid.asBoolean()) {
            h.append("<span class=\"badge pass\">all invariants hold</span>");
        } else {
            h.append("<span class=\"badge fail\">invariant violated</span>");
        }
        JsonNode slo = run.summary().path("slo");
        if (slo.isObject()) {
            h.append(' ').append(slo.path("met").asBoolean() ? "<span class=\"badge pass\">every SLO met</span>"
                    : "<span class=\"badge fail\">SLO not met</span>");
        }
        h.append("</h1>\n<div class=\"sub\">seed <b>").append(Html.escape(run.text("seed", "?")))
                .append("</b> &middot; engine <b>").append(Html.escape(run.text("engine", "?")))
                .append("</b> &middot; level <b>").append(Html.escape(level)).append("</b>");
        JsonNode settings = run.summary().path("settings");
        if (settings.has("duration")) {
            h.append(" &middot; duration <b>").append(Html.escape(settings.get("duration").asText())).append("</b>");
        }
        JsonNode topology = settings.path("topology");
        if (topology.isObject()) {
            h.append(" &middot; ").append(Html.escape(inline(topology)));
        }
        JsonNode overrides = run.summary().path("overrides");
        if (overrides.isArray() && !overrides.isEmpty()) {
            h.append(" &middot; with");
            for (JsonNode o : overrides) {
                h.append(" <code>--set ").append(Html.escape(o.asText())).append("</code>");
            }
        }
        h.append("</div>\n</section>\n");
    }

    /** The scenario's SLOs as the run judged them (summary.json {@code slo}); nothing when it has none. */
    private static void slo(StringBuilder h, JsonNode slo) {
        if (!slo.isObject()) {
            return;
        }
        h.append("<section id=\"slo\">\n<h2>Service-level objectives</h2>\n<table>\n")
                .append("<tr><th>objective</th><th>status</th><th>measured against the bound</th></tr>\n");
        for (JsonNode r : slo.path("results")) {
            String status = r.path("status").asText("?");
            h.append("<tr><td>").append(Html.escape(r.path("slo").asText())).append("</td><td class=\"")
                    .append(status.equals("met") ? "ok" : "bad").append("\">").append(Html.escape(status.replace('-', ' ')))
                    .append("</td><td>").append(Html.escape(r.path("message").asText())).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void verdict(StringBuilder h, RunFolder run) {
        h.append("<section id=\"verdict\">\n<h2>Verdict</h2>\n");
        JsonNode invariants = run.verdict().path("invariants");
        if (!invariants.isObject() || invariants.isEmpty()) {
            String why = run.text("checker", "no verdict in this run folder");
            h.append("<p class=\"note\">").append(Html.escape(why)).append("</p>\n</section>\n");
            return;
        }
        h.append("<table>\n<tr><th>invariant</th><th>status</th><th>judged</th><th>first examples</th></tr>\n");
        for (Map.Entry<String, JsonNode> e : invariants.properties()) {
            JsonNode inv = e.getValue();
            String status = inv.path("status").asText("?");
            long violations = inv.path("violations").asLong();
            h.append("<tr><td>").append(Html.escape(e.getKey())).append("</td>");
            if (status.equals("ok")) {
                h.append("<td class=\"ok\">ok</td>");
            } else if (status.equals("violated")) {
                h.append("<td class=\"bad\">violated ").append(violations).append("</td>");
            } else {
                h.append("<td class=\"na\">").append(Html.escape(status.replace('_', ' ').replace('-', ' '))).append("</td>");
            }
            h.append("<td class=\"num\">").append(inv.has("judged")
                    ? inv.path("judged").asLong() + " " + Html.escape(VerdictSummary.unit(e.getKey())) : "").append("</td>");
            h.append("<td>");
            JsonNode examples = inv.path("examples");
            int shown = 0;
            for (JsonNode ex : examples) {
                if (shown == EXAMPLES_SHOWN) {
                    break;
                }
                shown++;
                h.append("<div class=\"ex\">").append(Html.escape(exampleText(ex))).append("</div>");
            }
            String more = moreExamples(violations, shown, examples.size());
            if (!more.isEmpty()) {
                h.append("<span class=\"note\">").append(Html.escape(more)).append("</span>");
            }
            String why = whyNotApplicable(inv);
            if (why != null) {
                h.append("<span class=\"note\">").append(Html.escape(why)).append("</span>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
        JsonNode skipped = run.verdict().path("skipped_types");
        if (skipped.isObject() && !skipped.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (Map.Entry<String, JsonNode> e : skipped.properties()) {
                names.append(names.length() == 0 ? "" : ", ").append('\'').append(e.getKey()).append("' ")
                        .append(e.getValue().asLong());
            }
            h.append("<p class=\"note\">Skipped events of unknown types (misspelled?): ").append(Html.escape(names.toString()))
                    .append("</p>\n");
        }
        h.append("</section>\n");
    }

    /** The reason an invariant judged nothing ({@code reason} in format v1.1, {@code note} before), or null. */
    private static String whyNotApplicable(JsonNode invariant) {
        if (!invariant.path("status").asText().replace('_', '-').equals("not-applicable")) {
            return null;
        }
        for (String field : List.of("reason", "note")) {
            if (invariant.hasNonNull(field)) {
                return invariant.get(field).asText();
            }
        }
        return null;
    }

    /** True when the verdict lists invariants and none of them judged anything (a coarse run). */
    private static boolean nothingJudged(JsonNode verdict) {
        JsonNode invariants = verdict.path("invariants");
        if (!invariants.isObject() || invariants.isEmpty()) {
            return false;
        }
        for (JsonNode inv : invariants) {
            if (whyNotApplicable(inv) == null && !inv.path("status").asText().replace('_', '-').equals("not-applicable")) {
                return false;
            }
        }
        return true;
    }

    /** The sentence the terminal prints for an example ({@code detail}); raw JSON only for an example without one. */
    static String exampleText(JsonNode example) {
        String text = example.hasNonNull("detail") ? example.get("detail").asText() : example.toString();
        return text.length() > EXAMPLE_CHARS_MAX ? text.substring(0, EXAMPLE_CHARS_MAX) + " ..." : text;
    }

    /**
     * What lies beyond the examples shown, said truthfully: verdict.json lists only the first few
     * examples, while every violation is counted.
     */
    static String moreExamples(long violations, int shown, int listed) {
        long unlisted = Math.max(0, violations - Math.max(listed, shown));
        if (listed > shown) {
            return "and " + (listed - shown) + " more example" + (listed - shown == 1 ? "" : "s") + " in verdict.json"
                    + (unlisted > 0 ? "; " + unlisted + " more violation" + (unlisted == 1 ? " is" : "s are")
                            + " counted, not listed (" + violations + " in all)" : "");
        }
        if (unlisted > 0) {
            return unlisted + " more violation" + (unlisted == 1 ? " is" : "s are") + " counted, not listed ("
                    + violations + " in all)";
        }
        return "";
    }

    private static void latency(StringBuilder h, JsonNode summary, RunMetrics metrics) {
        h.append("<section id=\"latency\">\n<h2>Latency</h2>\n<table>\n<tr><th>measure</th><th>count</th><th>p50</th>"
                + "<th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
        if (metrics != null) {
            if (summary.has("latency_from_us")) {
                // The scenario left a warm-up out of its figures: those first, then the whole run the history holds.
                String after = String.format(Locale.ROOT, ", sent after the warm-up (from %.1f s)",
                        summary.path("latency_from_us").asLong() / 1e6);
                JsonNode l = summary.path("latency_us");
                summaryRow(h, "send &rarr; ack" + after, l.path("send_to_ack"));
                summaryRow(h, "send &rarr; deliver" + after, l.path("send_to_deliver"));
                latencyRow(h, "send &rarr; ack, whole run", metrics.sendToAck());
                latencyRow(h, "send &rarr; deliver, whole run", metrics.sendToDeliver());
            } else {
                latencyRow(h, "send &rarr; ack", metrics.sendToAck());
                latencyRow(h, "send &rarr; deliver", metrics.sendToDeliver());
            }
            if (metrics.presenceStaleness().getTotalCount() > 0) {
                latencyRow(h, "presence staleness", metrics.presenceStaleness());
            }
        } else {
            JsonNode l = summary.path("latency_us");
            summaryRow(h, "send &rarr; ack", l.path("send_to_ack"));
            summaryRow(h, "send &rarr; deliver", l.path("send_to_deliver"));
            if (l.has("send_to_pull")) {
                summaryRow(h, "send &rarr; pull (next poll)", l.path("send_to_pull"));
            }
        }
        h.append("</table>\n</section>\n");
    }

    /**
     * How busy each chat node's cores were when the simulator gave their work costs (summary.json
     * {@code node_work}); nothing when the run has none. A saturated node reads as one here.
     */
    private static void nodeWork(StringBuilder h, JsonNode work) {
        if (!work.isObject() || work.isEmpty()) {
            return;
        }
        h.append("<section id=\"node-work\">\n<h2>Node work (cores, queueing)</h2>\n<table>\n<tr><th>node</th>"
                + "<th>cores</th><th>work</th><th>busy</th><th>busiest second</th><th>queue delay p50</th><th>p99</th>"
                + "<th>max</th><th>refused by backlog</th></tr>\n");
        for (Map.Entry<String, JsonNode> e : work.properties()) {
            JsonNode n = e.getValue();
            double busiest = 0;
            for (JsonNode b : n.path("busy_fraction_per_second")) {
                busiest = Math.max(busiest, b.asDouble());
            }
            h.append("<tr><td>").append(Html.escape(e.getKey())).append("</td><td class=\"n\">").append(n.path("cores").asInt())
                    .append("</td><td class=\"n\">").append(n.path("work").asLong())
                    .append("</td><td class=\"n\">").append(Math.round(n.path("busy_fraction").asDouble() * 100)).append("%")
                    .append("</td><td class=\"n\">").append(Math.round(busiest * 100)).append("%");
            for (String f : new String[] {"queue_delay_p50_us", "queue_delay_p99_us", "queue_delay_max_us"}) {
                h.append("</td><td class=\"n\">").append(duration(n.path(f).asLong()));
            }
            h.append("</td><td class=\"n\">").append(n.path("refused_by_backlog").asLong()).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void latencyRow(StringBuilder h, String name, Histogram hist) {
        h.append("<tr><td>").append(name).append("</td><td class=\"n\">").append(hist.getTotalCount()).append("</td>");
        for (double p : new double[] {50, 90, 99, 99.9}) {
            h.append("<td class=\"n\">").append(hist.getTotalCount() == 0 ? "-" : duration(hist.getValueAtPercentile(p)))
                    .append("</td>");
        }
        h.append("<td class=\"n\">").append(hist.getTotalCount() == 0 ? "-" : duration(hist.getMaxValue())).append("</td></tr>\n");
    }

    private static void summaryRow(StringBuilder h, String name, JsonNode l) {
        h.append("<tr><td>").append(name).append("</td><td class=\"n\">").append(l.path("count").asLong()).append("</td>");
        for (String f : new String[] {"p50_us", "p90_us", "p99_us", "p999_us", "max_us"}) {
            h.append("<td class=\"n\">").append(l.has(f) ? duration(l.get(f).asLong()) : "-").append("</td>");
        }
        h.append("</tr>\n");
    }

    /** What every time chart marks: the injected faults, and the quiesce (NaN: none). */
    private record Marks(List<FaultMark> faults, double quiesceSeconds) {
    }

    private static void charts(StringBuilder h, TimeSeries s, Marks faults, double durationSeconds) {
        if (s == null) {
            for (String id : List.of("chart-latency", "chart-connections", "chart-reconnects", "chart-throughput")) {
                h.append("<section id=\"").append(id).append("\"><p class=\"note\">No time series in this run folder.</p></section>\n");
            }
            return;
        }
        double end = Math.max(s.endSeconds(), durationSeconds);
        h.append("<section id=\"chart-latency\">\n<h2>Latency per interval (")
                .append(SvgChart.number(s.intervalSeconds())).append(" s)</h2>\n");
        h.append(withMarks(new SvgChart("send \u2192 ack and send \u2192 deliver, p50 and p99", "ms (log scale)").logY()
                .series("ack p50", "#4e79a7", s.midSeconds(), s.ackP50Ms())
                .series("ack p99", "#1b3a6b", s.midSeconds(), s.ackP99Ms())
                .series("deliver p50", "#f28e2b", s.midSeconds(), s.deliverP50Ms())
                .series("deliver p99", "#b3540a", s.midSeconds(), s.deliverP99Ms()), faults, end).render()).append("\n</section>\n");
        h.append("<section id=\"chart-connections\">\n<h2>Connections</h2>\n");
        h.append(withMarks(new SvgChart("open sessions: at the end of each interval, and the fewest within it", "sessions")
                .series("at end", "#59a14f", s.midSeconds(), s.openConnections())
                .series("fewest", "#e15759", s.midSeconds(), s.openMin()), faults, end).render()).append('\n');
        h.append(withMarks(new SvgChart("connects and disconnects per second", "per second")
                .series("connects", "#4e79a7", s.midSeconds(), s.perSecond(s.connects()))
                .series("disconnects", "#e15759", s.midSeconds(), s.perSecond(s.disconnects())), faults, end).render())
                .append("\n</section>\n");
        h.append("<section id=\"chart-reconnects\">\n<h2>Reconnects (the thundering herd)</h2>\n");
        h.append(withMarks(new SvgChart("reconnects per second", "per second")
                .series("reconnects", "#af7aa1", s.midSeconds(), s.perSecond(s.reconnects())), faults, end).render())
                .append("\n</section>\n");
        h.append("<section id=\"chart-throughput\">\n<h2>Throughput</h2>\n");
        h.append(withMarks(new SvgChart("messages acknowledged and delivered per second", "per second")
                .series("acked", "#4e79a7", s.midSeconds(), s.perSecond(s.acks()))
                .series("delivered", "#f28e2b", s.midSeconds(), s.perSecond(s.delivers())), faults, end).render())
                .append("\n</section>\n");
    }

    private static SvgChart withMarks(SvgChart chart, Marks marks, double endSeconds) {
        chart.xMax(endSeconds);
        for (FaultMark f : marks.faults()) {
            chart.mark(f.atMicros() / 1e6, f.label());
        }
        if (!Double.isNaN(marks.quiesceSeconds())) {
            chart.quiesce(marks.quiesceSeconds());
        }
        return chart;
    }

    private static void faultTable(StringBuilder h, JsonNode summary, List<FaultMark> marks) {
        h.append("<section id=\"faults\">\n<h2>Faults</h2>\n");
        JsonNode faults = summary.path("faults");
        if (faults.isObject()) {
            h.append("<p>planned <b>").append(faults.path("planned").asLong()).append("</b>, injected <b>")
                    .append(faults.path("injected").asLong()).append("</b></p>\n");
        }
        h.append("<div class=\"grid2\">");
        JsonNode byKind = faults.path("by_kind");
        boolean anyKind = false;
        if (byKind.isObject() && !byKind.isEmpty()) {
            h.append("<table>\n<tr><th>kind</th><th>planned</th><th>injected</th><th>skipped</th></tr>\n");
            for (Map.Entry<String, JsonNode> e : byKind.properties()) {
                JsonNode v = e.getValue();
                // Two shapes: {"kill": 1} (injected only) or {"kill": {"planned": 1, "injected": 1, "skipped": 0}}.
                long planned = v.isObject() ? v.path("planned").asLong() : -1;
                long injected = v.isObject() ? v.path("injected").asLong() : v.asLong();
                long skipped = v.isObject() ? v.path("skipped").asLong() : -1;
                if (planned == 0 && injected == 0 && skipped <= 0) {
                    continue;
                }
                anyKind = true;
                h.append("<tr><td>").append(Html.escape(e.getKey())).append("</td><td class=\"n\">")
                        .append(planned < 0 ? "-" : Long.toString(planned)).append("</td><td class=\"n\">").append(injected)
                        .append("</td><td class=\"n\">").append(skipped < 0 ? "-" : Long.toString(skipped)).append("</td></tr>\n");
            }
            h.append("</table>");
        }
        for (String block : List.of("skip_reasons", "not_modelled", "never_fired", "recoveries")) {
            JsonNode reasons = faults.path(block);
            if ((reasons.isObject() || reasons.isArray()) && !reasons.isEmpty()) {
                h.append("<table>\n<tr><th>").append(Html.escape(block.replace('_', ' '))).append("</th><th>count</th></tr>\n");
                if (reasons.isObject()) {
                    for (Map.Entry<String, JsonNode> e : reasons.properties()) {
                        countRow(h, e.getKey(), e.getValue().asText());
                    }
                } else {
                    for (JsonNode r : reasons) {
                        countRow(h, r.isValueNode() ? r.asText() : r.toString(), "1");
                    }
                }
                h.append("</table>");
            }
        }
        if (!marks.isEmpty()) {
            h.append("<table>\n<tr><th>at (s of run time)</th><th>fault</th></tr>\n");
            for (FaultMark m : marks) {
                h.append("<tr><td class=\"n\">").append(seconds(m.atMicros())).append("</td><td>")
                        .append(Html.escape(m.label())).append("</td></tr>\n");
            }
            h.append("</table>");
        } else if (!anyKind) {
            h.append("<p class=\"note\">No fault in this run.</p>");
        }
        h.append("</div>\n</section>\n");
    }

    private static void counts(StringBuilder h, JsonNode summary, RunMetrics metrics) {
        h.append("<section id=\"counts\">\n<h2>Counts</h2>\n<div class=\"grid2\">");
        h.append("<table>\n<tr><th>count</th><th>value</th></tr>\n");
        JsonNode counts = summary.path("counts");
        for (Map.Entry<String, JsonNode> e : counts.properties()) {
            countRow(h, e.getKey(), e.getValue().asText());
        }
        if (metrics != null && !counts.has("reconnects")) {
            countRow(h, "reconnects", Long.toString(metrics.count("reconnects")));
        }
        h.append("</table>");
        if (metrics != null) {
            sendOutcomes(h, metrics);
        }
        for (String block : List.of("cluster_counters", "world_counters", "model")) {
            JsonNode extra = summary.path(block);
            if (extra.isObject() && !extra.isEmpty()) {
                h.append("<table>\n<tr><th>").append(Html.escape(block.replace('_', ' '))).append("</th><th>value</th></tr>\n");
                for (Map.Entry<String, JsonNode> e : extra.properties()) {
                    countRow(h, e.getKey(), e.getValue().isContainerNode() ? inline(e.getValue()) : e.getValue().asText());
                }
                h.append("</table>");
            }
        }
        h.append("</div>\n</section>\n");
    }

    /**
     * What became of each message, from the history: a what-if such as a dead home node shows in
     * its failed and indeterminate sends as much as in its latencies.
     */
    private static void sendOutcomes(StringBuilder h, RunMetrics metrics) {
        h.append("<table id=\"send-outcomes\">\n<tr><th>send outcomes</th><th>messages</th></tr>\n");
        countRow(h, "sent", Long.toString(metrics.count("messages")));
        countRow(h, "acked (stored)", Long.toString(metrics.count("acks")));
        countRow(h, "failed (refused, never stored)", Long.toString(metrics.count("fails")));
        countRow(h, "indeterminate (no ack, no fail)", Long.toString(metrics.count("indeterminate")));
        h.append("</table>");
    }

    private static void countRow(StringBuilder h, String name, String value) {
        h.append("<tr><td>").append(Html.escape(name)).append("</td><td class=\"n\">").append(Html.escape(value))
                .append("</td></tr>\n");
    }

    private static void settings(StringBuilder h, JsonNode settings) {
        if (!settings.isObject()) {
            return;
        }
        h.append("<section id=\"settings\">\n<h2>Settings</h2>\n<table>\n");
        for (Map.Entry<String, JsonNode> e : settings.properties()) {
            h.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>")
                    .append(Html.escape(e.getValue().isContainerNode() ? inline(e.getValue()) : e.getValue().asText()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    /** {@code a=1 b=x c=[..]} for an object, compact JSON for anything else. */
    private static String inline(JsonNode node) {
        if (!node.isObject()) {
            return node.toString();
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(e.getKey()).append('=').append(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        return out.toString();
    }

    /** A time on the run's clock in seconds, one unit down a column: 0.250, 2.000, 180.000. */
    static String seconds(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1e6);
    }

    /** Microseconds as the most readable unit: 850 us, 12.3 ms, 2.82 s. */
    static String duration(long micros) {
        if (micros < 1_000) {
            return micros + " us";
        }
        if (micros < 1_000_000) {
            return threeDigits(micros / 1e3) + " ms";
        }
        return threeDigits(micros / 1e6) + " s";
    }

    private static String threeDigits(double v) {
        String pattern = v < 10 ? "%.2f" : v < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
