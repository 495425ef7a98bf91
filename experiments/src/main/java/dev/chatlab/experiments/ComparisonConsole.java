package dev.chatlab.experiments;

import java.util.List;
import java.util.Locale;

/**
 * What {@code chatlab compare} prints when it is done: the variants, one line per metric and
 * variant (the mean, its interval, the paired difference against the first variant and its
 * p-value), then the failed runs by name and the verdict line.
 */
public final class ComparisonConsole {

    private ComparisonConsole() {
    }

    public static String render(Comparison c) {
        StringBuilder out = new StringBuilder();
        List<Variant> variants = c.prepared().variants();
        out.append("variants (seeds ").append(ComparisonHtml.seedsText(c.seeds())).append(", the same for each):\n");
        for (Variant v : variants) {
            out.append("  ").append(v.id()).append("  ").append(v.label()).append('\n');
        }
        int width = c.metrics().stream().mapToInt(r -> r.metric().name().length()).max().orElse(0);
        for (Comparison.MetricRow row : c.metrics()) {
            Metric m = row.metric();
            for (Comparison.Cell cell : row.cells()) {
                boolean first = cell == row.cells().get(0);
                out.append(first ? m.name() + " ".repeat(width - m.name().length()) : " ".repeat(width)).append("  ")
                        .append(cell.variant().id()).append("  ");
                Stats.Interval i = cell.interval();
                if (i.n() == 0) {
                    out.append("not measured\n");
                    continue;
                }
                out.append(m.format(i.mean()));
                if (!Double.isNaN(i.halfWidth())) {
                    out.append(" +- ").append(m.format(i.halfWidth()));
                }
                if (cell.vsFirst() != null && cell.vsFirst().difference().n() > 0) {
                    Stats.Interval d = cell.vsFirst().difference();
                    out.append("   vs ").append(variants.get(0).id()).append(": ").append(d.mean() >= 0 ? "+" : "-")
                            .append(m.format(Math.abs(d.mean())));
                    if (!Double.isNaN(d.halfWidth())) {
                        out.append(" +- ").append(m.format(d.halfWidth()));
                    }
                    double p = cell.vsFirst().pValue();
                    if (!Double.isNaN(p)) {
                        out.append(String.format(Locale.ROOT, " (p=%.2g)", p));
                    }
                }
                out.append('\n');
            }
        }
        for (FidelityGap.Axis axis : FidelityGap.Axis.values()) {
            List<FidelityGap> gaps = FidelityGap.on(axis, c.fidelityGaps());
            if (gaps.isEmpty()) {
                continue;
            }
            out.append(axis.title()).append(" (medians over seeds; gap = ").append(axis.formula()).append("):\n");
            for (FidelityGap g : gaps) {
                out.append("  ").append(g.metric().name()).append(" ".repeat(Math.max(0, width - g.metric().name().length())))
                        .append("  ").append(axis.modelWord()).append(' ').append(g.metric().format(g.modelValue()))
                        .append("  ").append(axis.referenceWord()).append(' ').append(g.metric().format(g.referenceValue()))
                        .append("  gap ").append(g.gapText())
                        .append(g.world().equals("(as the file is)") ? "" : "  [" + g.world() + "]").append('\n');
            }
        }
        if (c.untilCi() != null) {
            out.append("until-ci: ").append(c.untilCi()).append('\n');
        }
        for (RunRecord r : c.failures()) {
            out.append("FAILED: ").append(r.name()).append(": ").append(String.join("; ", r.problems())).append('\n');
        }
        if (c.judgedNothing()) {
            out.append("FAILED: the comparison judged nothing (no run sent a message)\n");
        } else if (c.failures().isEmpty()) {
            out.append("every run held every invariant and met every SLO (").append(c.runs().size()).append(" runs)\n");
        } else {
            out.append("FAILED: ").append(c.failures().size()).append(" of ").append(c.runs().size()).append(" runs\n");
        }
        return out.toString();
    }
}
