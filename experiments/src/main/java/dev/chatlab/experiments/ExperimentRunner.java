package dev.chatlab.experiments;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an experiment's matrix: every variant on the same seeds (common random numbers), each run
 * through {@link ScenarioRunner} into {@code <out>/<variant>/seed-<N>/} with its console in
 * {@code console.txt} there; in this process, or over {@code --parallel} worker processes. With a
 * target on the intervals it then adds a seed at a time until every chosen metric's interval is
 * narrow enough, or the seed limit is reached. Results are kept seed by seed, variants in order,
 * whatever order the runs finish in.
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
        try (RunPool pool = e.parallel() > 1 ? new WorkerPool(e.parallel(), e.scenarioFile(), e.engine())
                : RunPool.inProcess(e.scenarioFile())) {
            return run(prepared, pool, progress);
        }
    }

    /** As {@link #run(PreparedExperiment, ProgressLine)}, with the runs made by {@code pool} (remote workers, say). */
    public static Comparison run(PreparedExperiment prepared, RunPool pool, ProgressLine progress) throws IOException {
        Experiment e = prepared.experiment();
        List<RunRecord> records = new ArrayList<>();
        int variants = prepared.variants().size();
        int seeds = e.seeds();
        Counts counts = new Counts(progress);
        counts.total = seeds * variants;
        runSeeds(prepared, pool, 0, seeds, records, counts);
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
                // A seed at a time, as a one-process run decides: the total grows a round at a time.
                counts.total = (seeds + 1) * variants;
                runSeeds(prepared, pool, seeds, seeds + 1, records, counts);
                seeds++;
            }
        }
        progress.finish();
        return Comparison.of(prepared, records).withUntilCi(untilCi);
    }

    /** Runs done and failed so far, for the progress line. */
    private static final class Counts {
        final ProgressLine progress;
        int total;
        int done;
        int failed;

        Counts(ProgressLine progress) {
            this.progress = progress;
        }
    }

    /** Seeds {@code from} (inclusive) to {@code to} (exclusive), counted from the first seed, every variant each. */
    private static void runSeeds(PreparedExperiment prepared, RunPool pool, int from, int to, List<RunRecord> records,
                                 Counts counts) throws IOException {
        Experiment e = prepared.experiment();
        List<RunTask> tasks = new ArrayList<>();
        for (int s = from; s < to; s++) {
            long seed = prepared.firstSeed() + s;
            for (int i = 0; i < prepared.variants().size(); i++) {
                Variant v = prepared.variants().get(i);
                List<String> flags = new ArrayList<>(e.sets());
                flags.addAll(v.overrides());
                tasks.add(new RunTask(tasks.size(), i, seed, e.outDir().resolve(v.folder()).resolve("seed-" + seed),
                        List.copyOf(flags), prepared.scenarios().get(i), v.engine(e.engine()), prepared.variesEngine()));
            }
        }
        RunRecord[] done = new RunRecord[tasks.size()];
        pool.run(tasks, (task, outcome) -> {
            RunRecord r = RunRecord.read(prepared.variants().get(task.variant()), task.seed(), e.outDir(), task.dir(), outcome,
                    e.metrics());
            done[task.index()] = r;
            counts.done++;
            if (r.failed()) {
                counts.failed++;
            }
            counts.progress.update(counts.done, counts.total, counts.failed);
        });
        records.addAll(Arrays.asList(done));
    }
}
