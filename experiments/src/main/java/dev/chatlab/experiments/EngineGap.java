package dev.chatlab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One metric of one world measured in both engines: the simulator's value, the real cluster's, and
 * how far the first is from the second ({@code (sim - real) / |real|}). Each value is the median
 * over the seeds its variant measured, so one noisy real run does not move it as a mean would.
 * Two variants are the same world when every varied key but {@code engine} has the same value.
 *
 * <pre>{@code
 * List<EngineGap> gaps = EngineGap.of(prepared, runs);   // empty unless the engine is varied
 * gaps.get(0).gap();                                     // -0.12: the simulator says 12% less
 * }</pre>
 *
 * @param metric   what is compared
 * @param sim      the variant run by the simulator
 * @param real     the same world's variant run on the real cluster
 * @param simValue median over the seeds {@code sim} measured; NaN when none did
 * @param realValue median over the seeds {@code real} measured; NaN when none did
 * @param simRuns  how many runs the simulator's median is over
 * @param realRuns how many runs the real cluster's median is over
 */
public record EngineGap(Metric metric, Variant sim, Variant real, double simValue, double realValue, int simRuns,
                        int realRuns) {

    /** The relative gap, {@code (sim - real) / |real|}; NaN when either is missing or the real value is 0. */
    public double gap() {
        if (Double.isNaN(simValue) || Double.isNaN(realValue) || realValue == 0) {
            return Double.NaN;
        }
        return (simValue - realValue) / Math.abs(realValue);
    }

    /** {@code -12.3%}, or {@code -} without a gap. */
    public String gapText() {
        double g = gap();
        return Double.isNaN(g) ? "-" : String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * g);
    }

    /** The world both variants share, as a label: {@code (as the file is)} when only the engine varies. */
    public String world() {
        List<String> parts = new ArrayList<>();
        sim.world().forEach((k, v) -> parts.add(k + "=" + v));
        return parts.isEmpty() ? "(as the file is)" : String.join(" ", parts);
    }

    /** Every metric of every world run by both engines, worlds in the matrix's order; empty unless the engine varies. */
    static List<EngineGap> of(PreparedExperiment prepared, List<RunRecord> runs) {
        List<EngineGap> out = new ArrayList<>();
        if (!prepared.variesEngine()) {
            return out;
        }
        ScenarioRunner.Engine fallback = prepared.experiment().engine();
        for (Variant sim : prepared.variants()) {
            if (sim.engine(fallback) != ScenarioRunner.Engine.SIM) {
                continue;
            }
            for (Variant real : prepared.variants()) {
                if (real.engine(fallback) == ScenarioRunner.Engine.REAL && real.world().equals(sim.world())) {
                    for (Metric m : prepared.experiment().metrics()) {
                        double[] s = values(runs, sim, m);
                        double[] r = values(runs, real, m);
                        out.add(new EngineGap(m, sim, real, median(s), median(r), s.length, r.length));
                    }
                }
            }
        }
        return out;
    }

    private static double[] values(List<RunRecord> runs, Variant v, Metric m) {
        return runs.stream().filter(r -> r.variant() == v).map(RunRecord::values).map((Map<String, Double> x) -> x.get(m.name()))
                .filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
