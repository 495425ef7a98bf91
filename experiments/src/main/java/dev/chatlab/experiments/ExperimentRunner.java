package dev.chatlab.experiments;

import dev.chatlab.scenarios.real.RealRun;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an experiment's matrix: seed by seed, every variant on the same seed (common random
 * numbers), each run through {@link ScenarioRunner} into {@code <out>/<variant>/seed-<N>/} with its
 * console in {@code console.txt} there. With a target on the intervals it then adds a seed at a
 * time until every chosen metric's interval is narrow enough, or the seed limit is reached.
 *
 * <pre>{@code
 * Comparison c = ExperimentRunner.run(PreparedExperiment.of(experiment), progressLine);
 * ComparisonFiles.write(c, experiment.outDir());
 * }</pre>
 */
public final class ExperimentRunner {

    private ExperimentRunner() {
    }

    public static Comparison run(PreparedExperiment prepared, ProgressLine progress) throws IOException {
        Experiment e = prepared.experiment();
        Files.createDirectories(e.outDir());
        List<RunRecord> records = new ArrayList<>();
        int variants = prepared.variants().size();
        int seeds = e.seeds();
        int[] failed = {0};
        for (int s = 0; s < seeds; s++) {
            runSeed(prepared, prepared.firstSeed() + s, records, failed, seeds * variants, progress);
        }
        String untilCi = null;
        if (e.untilCi() != null) {
            while (true) {
                List<String> wide = Comparison.of(prepared, records).tooWide(e.untilCi());
                if (wide.isEmpty()) {
                    untilCi = "met with " + seeds + " seeds";
                    break;
                }
                if (seeds >= e.maxSeeds()) {
                    untilCi = "not met at the limit of " + e.maxSeeds() + " seeds: " + String.join("; ", wide);
                    break;
                }
                // The total grows a round at a time: the line's ETA is to the end of the next seed.
                runSeed(prepared, prepared.firstSeed() + seeds, records, failed, (seeds + 1) * variants, progress);
                seeds++;
            }
        }
        progress.finish();
        return Comparison.of(prepared, records).withUntilCi(untilCi);
    }

    private static void runSeed(PreparedExperiment prepared, long seed, List<RunRecord> records, int[] failed, int total,
                                ProgressLine progress) throws IOException {
        Experiment e = prepared.experiment();
        for (int i = 0; i < prepared.variants().size(); i++) {
            Variant v = prepared.variants().get(i);
            Path dir = e.outDir().resolve(v.folder()).resolve("seed-" + seed);
            Files.createDirectories(dir);
            ScenarioRunner.Outcome outcome;
            try (PrintStream console = new PrintStream(new FileOutputStream(dir.resolve("console.txt").toFile()), false,
                    StandardCharsets.UTF_8)) {
                outcome = ScenarioRunner.run(e.scenarioFile(), prepared.scenarios().get(i), seed, e.engine(), dir,
                        RealRun.Options.defaults(), console, console);
            }
            RunRecord record = RunRecord.read(v, seed, e.outDir(), dir, outcome, e.metrics());
            records.add(record);
            if (record.failed()) {
                failed[0]++;
            }
            progress.update(records.size(), total, failed[0]);
        }
    }
}
