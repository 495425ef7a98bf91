package dev.chatlab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric of one world measured by a model and by what the model is held against: the
 * simulator against the real cluster ({@code --vary engine=sim,real}), or the simulator's coarse
 * level against its full level ({@code --vary level=coarse,full}). The gap is
 * {@code (model - reference) / |reference|}. Each value is the median over the seeds its variant
 * measured, so one noisy run does not move it as a mean would. Two variants are the same world
 * when every varied key but the axis's own has the same value.
 *
 * <pre>{@code
 * List<FidelityGap> gaps = FidelityGap.of(prepared, runs);   // empty unless the engine or the level is varied
 * gaps.get(0).gap();                                         // -0.12: the model says 12% less
 * gaps.get(0).axis().modelWord();                            // "sim" or "coarse"
 * }</pre>
 *
 * @param axis           which pair of worlds is compared
 * @param metric         what is compared
 * @param model          the variant run by the model (the simulator; the coarse level)
 * @param reference      the same world's variant run by the reference (the real cluster; the full level)
 * @param modelValue     median over the seeds {@code model} measured; NaN when none did
 * @param referenceValue median over the seeds {@code reference} measured; NaN when none did
 * @param modelRuns      how many runs the model's median is over
 * @param referenceRuns  how many runs the reference's median is over
 */
public record FidelityGap(Axis axis, Metric metric, Variant model, Variant reference, double modelValue,
                          double referenceValue, int modelRuns, int referenceRuns) {

    /**
     * A varied key whose two values are a model and what it is held against. The words name the
     * values in {@code comparison.json} ({@code sim}, {@code real}) and the console, so a file
     * written before levels could be compared reads as it did.
     */
    public enum Axis {
        ENGINE(Variant.ENGINE_KEY, "sim", "real", "simulator against the real cluster", "engine_gaps"),
        LEVEL(Variant.LEVEL_KEY, "coarse", "full", "coarse level against the full level", "level_gaps");

        private final String key;
        private final String modelWord;
        private final String referenceWord;
        private final String title;
        private final String jsonKey;

        Axis(String key, String modelWord, String referenceWord, String title, String jsonKey) {
            this.key = key;
            this.modelWord = modelWord;
            this.referenceWord = referenceWord;
            this.title = title;
            this.jsonKey = jsonKey;
        }

        /** The varied key: {@code engine}, {@code level}. */
        public String key() {
            return key;
        }

        public String modelWord() {
            return modelWord;
        }

        public String referenceWord() {
            return referenceWord;
        }

        /** {@code simulator against the real cluster}. */
        public String title() {
            return title;
        }

        /** The list's key in {@code comparison.json}: {@code engine_gaps}, {@code level_gaps}. */
        public String jsonKey() {
            return jsonKey;
        }

        /** {@code gap = (sim - real) / |real|}. */
        public String formula() {
            return "(" + modelWord + " - " + referenceWord + ") / |" + referenceWord + "|";
        }

        /** This axis's value for a variant: its engine (its own or the experiment's), or its varied level; null without one. */
        String valueOf(Variant v, ScenarioRunner.Engine experiments) {
            if (this == ENGINE) {
                return v.engine(experiments).word();
            }
            return v.settings().get(key);
        }

        /** The variant's settings but this axis's key: two variants with the same are one world. */
        Map<String, String> world(Variant v) {
            Map<String, String> out = new LinkedHashMap<>(v.settings());
            out.remove(key);
            return out;
        }
    }

    /** The relative gap, {@code (model - reference) / |reference|}; NaN when either is missing or the reference is 0. */
    public double gap() {
        if (Double.isNaN(modelValue) || Double.isNaN(referenceValue) || referenceValue == 0) {
            return Double.NaN;
        }
        return (modelValue - referenceValue) / Math.abs(referenceValue);
    }

    /** {@code -12.3%}, or {@code -} without a gap. */
    public String gapText() {
        double g = gap();
        return Double.isNaN(g) ? "-" : String.format(java.util.Locale.ROOT, "%+.1f%%", 100 * g);
    }

    /** The world both variants share, as a label: {@code (as the file is)} when only the axis's key varies. */
    public String world() {
        List<String> parts = new ArrayList<>();
        axis.world(model).forEach((k, v) -> parts.add(k + "=" + v));
        return parts.isEmpty() ? "(as the file is)" : String.join(" ", parts);
    }

    /**
     * Every metric of every world run both ways, for each axis varied (the engine's first), worlds
     * in the matrix's order; empty unless the engine or the level varies.
     */
    static List<FidelityGap> of(PreparedExperiment prepared, List<RunRecord> runs) {
        List<FidelityGap> out = new ArrayList<>();
        ScenarioRunner.Engine fallback = prepared.experiment().engine();
        for (Axis axis : Axis.values()) {
            for (Variant model : prepared.variants()) {
                if (!axis.modelWord.equals(axis.valueOf(model, fallback))) {
                    continue;
                }
                for (Variant reference : prepared.variants()) {
                    if (axis.referenceWord.equals(axis.valueOf(reference, fallback))
                            && axis.world(reference).equals(axis.world(model))) {
                        for (Metric m : prepared.experiment().metrics()) {
                            double[] s = values(runs, model, m);
                            double[] r = values(runs, reference, m);
                            out.add(new FidelityGap(axis, m, model, reference, median(s), median(r), s.length, r.length));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The gaps of one axis, in order. */
    static List<FidelityGap> on(Axis axis, List<FidelityGap> gaps) {
        return gaps.stream().filter(g -> g.axis == axis).toList();
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
