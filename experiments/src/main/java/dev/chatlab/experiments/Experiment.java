package dev.chatlab.experiments;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code chatlab compare} runs, from its flags or an experiment file: a scenario file with
 * {@code --set} flags for every run, the axes to vary, the seeds (the same for every variant), the
 * engine, the metrics, and optionally a target on the intervals that adds seeds until it is met.
 *
 * @param scenarioFile the scenario every run starts from
 * @param sets         {@code --set} flags applied to every variant, before the variant's own
 * @param axes         the varied keys; the matrix is their cartesian product (none: one variant)
 * @param firstSeed    the first seed; null for the file's seed, else 1
 * @param seeds        how many seeds every variant runs to start with (consecutive from the first)
 * @param engine       sim or real
 * @param metrics      what is compared
 * @param untilCi      null, or the largest interval half-width allowed, as a fraction of the mean
 * @param maxSeeds     the most seeds {@code untilCi} may take a variant to
 * @param outDir       the experiment's folder; each run in a folder of its own under it
 * @param parallel     local worker processes to spread the runs over; 1 runs them in this process
 */
public record Experiment(Path scenarioFile, List<String> sets, List<VaryAxis> axes, Long firstSeed, int seeds,
                         ScenarioRunner.Engine engine, List<Metric> metrics, Double untilCi, int maxSeeds, Path outDir,
                         int parallel) {

    /** Seeds when none are asked for: enough for an interval, few enough for a quick first answer. */
    public static final int SEEDS_DEFAULT = 5;
    /** How far {@code --until-ci} may go when {@code --max-seeds} is not given. */
    public static final int MAX_SEEDS_DEFAULT = 50;
}
