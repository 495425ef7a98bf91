package dev.chatlab.experiments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of an experiment: every run, and for each metric and variant the mean with its
 * interval and the paired difference against the first variant over the seeds both measured.
 *
 * @param prepared the experiment and its variants
 * @param runs     every run, seed by seed, variants in order within a seed
 * @param metrics  one row per metric, in the experiment's order
 * @param untilCi  what the interval target came to ({@code met with 12 seeds}), or null without one
 * @param fidelityGaps with {@code --vary engine=sim,real} or {@code level=coarse,full}, each metric in both and their gap; else empty
 */
public record Comparison(PreparedExperiment prepared, List<RunRecord> runs, List<MetricRow> metrics, String untilCi,
                         List<FidelityGap> fidelityGaps) {

    /** A metric across the variants. */
    public record MetricRow(Metric metric, List<Cell> cells) {
        /** Whether any run measured it. */
        public boolean measured() {
            return cells.stream().anyMatch(c -> c.interval().n() > 0);
        }
    }

    /**
     * One metric of one variant.
     *
     * @param interval the mean over the variant's runs that measured it, and its interval
     * @param vsFirst  this variant minus the first, paired by seed; null for the first variant
     */
    public record Cell(Variant variant, Stats.Interval interval, Stats.Paired vsFirst) {
    }

    static Comparison of(PreparedExperiment prepared, List<RunRecord> runs) {
        List<MetricRow> rows = new ArrayList<>();
        Variant first = prepared.variants().get(0);
        for (Metric m : prepared.experiment().metrics()) {
            Map<Long, Double> baseline = bySeed(runs, first, m);
            List<Cell> cells = new ArrayList<>();
            for (Variant v : prepared.variants()) {
                Map<Long, Double> mine = bySeed(runs, v, m);
                double[] values = mine.values().stream().mapToDouble(Double::doubleValue).toArray();
                Stats.Interval interval = Stats.interval(values, Stats.CONFIDENCE);
                Stats.Paired paired = null;
                if (v != first) {
                    List<Long> common = new ArrayList<>();
                    for (RunRecord r : runs) {
                        if (r.variant() == v && mine.containsKey(r.seed()) && baseline.containsKey(r.seed())) {
                            common.add(r.seed());
                        }
                    }
                    double[] base = common.stream().mapToDouble(baseline::get).toArray();
                    double[] other = common.stream().mapToDouble(mine::get).toArray();
                    paired = Stats.paired(base, other, Stats.CONFIDENCE);
                }
                cells.add(new Cell(v, interval, paired));
            }
            rows.add(new MetricRow(m, cells));
        }
        return new Comparison(prepared, List.copyOf(runs), rows, null, FidelityGap.of(prepared, runs));
    }

    /** Values keyed by seed, in the order the runs were made (insertion order of a seed-ordered list). */
    private static Map<Long, Double> bySeed(List<RunRecord> runs, Variant v, Metric m) {
        Map<Long, Double> out = new java.util.LinkedHashMap<>();
        for (RunRecord r : runs) {
            Double value = r.variant() == v ? r.values().get(m.name()) : null;
            if (value != null) {
                out.put(r.seed(), value);
            }
        }
        return out;
    }

    Comparison withUntilCi(String note) {
        return new Comparison(prepared, runs, metrics, note, fidelityGaps);
    }

    /** The seeds every variant ran, in order. */
    public List<Long> seeds() {
        List<Long> out = new ArrayList<>();
        for (RunRecord r : runs) {
            if (!out.contains(r.seed())) {
                out.add(r.seed());
            }
        }
        return out;
    }

    public List<RunRecord> failures() {
        return runs.stream().filter(RunRecord::failed).toList();
    }

    /** Every run held every invariant and met every SLO, and something was judged: the experiment exits 0. */
    public boolean ok() {
        return failures().isEmpty() && !judgedNothing();
    }

    /** Whether nothing was judged: no run at all, or no run that sent a message. */
    public boolean judgedNothing() {
        return runs.isEmpty() || runs.stream().allMatch(RunRecord::judgedNothing);
    }

    /** The intervals wider than {@code fraction} of their mean, named ({@code v2 p99(send_to_ack): +-12.3% of the mean}). */
    List<String> tooWide(double fraction) {
        List<String> out = new ArrayList<>();
        for (MetricRow row : metrics) {
            for (Cell c : row.cells()) {
                Stats.Interval i = c.interval();
                if (i.n() > 0 && !i.within(fraction)) {
                    out.add(c.variant().id() + " " + row.metric().name() + ": " + (Double.isNaN(i.halfWidth()) ? "one run"
                            : "+-" + String.format(Locale.ROOT, "%.1f%%", 100 * i.halfWidth() / Math.abs(i.mean())) + " of the mean"));
                }
            }
        }
        return out;
    }

    /** Runs of one variant, keyed by seed. */
    public Map<Long, RunRecord> runsOf(Variant v) {
        Map<Long, RunRecord> out = new HashMap<>();
        for (RunRecord r : runs) {
            if (r.variant() == v) {
                out.put(r.seed(), r);
            }
        }
        return out;
    }
}
