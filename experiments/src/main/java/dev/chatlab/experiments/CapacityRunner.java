package dev.chatlab.experiments;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a capacity search: each probed value runs its seeds through {@link ScenarioRunner} into
 * {@code <out>/<key>-<value>/seed-<N>/}, and passes when every run holds every invariant and meets
 * every SLO. A value stops at its first failing seed: one failure already decides it.
 *
 * <pre>{@code
 * CapacityRunner.Outcome o = CapacityRunner.run(CapacityPlan.of(...), progressLine);
 * o.answer();   // null when no value in the range passes
 * }</pre>
 */
public final class CapacityRunner {

    /** One probed value and its runs (fewer than the seeds when one failed). */
    public record Point(long value, boolean passes, int order, List<RunRecord> runs) {
    }

    /** The answer (null if none) and every probed value, by value. */
    public record Outcome(CapacityPlan plan, Long answer, List<Point> points) {
    }

    private CapacityRunner() {
    }

    /** Runs the search; a value inside the range that the scenario refuses (both ends were checked) ends it with the flag named. */
    public static Outcome run(CapacityPlan plan, ProgressLine progress) throws IOException, ScenarioException {
        Files.createDirectories(plan.outDir());
        List<Point> points = new ArrayList<>();
        int total = CapacitySearch.probesMax(plan.lo(), plan.hi()) * plan.seeds();
        int[] done = {0};
        int[] failed = {0};
        CapacitySearch.Result result = CapacitySearch.run(plan.lo(), plan.hi(), plan.maximize(), value -> {
            Point p = probe(plan, value, points.size() + 1, done, failed, total, progress);
            points.add(p);
            return p.passes();
        });
        // The total was the most the search could take; it took what it took.
        progress.update(done[0], done[0], failed[0]);
        progress.finish();
        List<Point> byValue = new ArrayList<>(points);
        byValue.sort((a, b) -> Long.compare(a.value(), b.value()));
        return new Outcome(plan, result.answer(), List.copyOf(byValue));
    }

    private static Point probe(CapacityPlan plan, long value, int order, int[] done, int[] failed, int total,
                               ProgressLine progress) throws IOException, ScenarioException {
        Scenario scenario = ScenarioLoader.load(plan.scenarioFile(), plan.flagsAt(value));
        Variant variant = new Variant(order, Map.of(plan.key(), Long.toString(value)));
        List<Metric> metrics = scenario.slos().stream().map(s -> Metric.named(s.metric().name())).distinct().toList();
        List<RunRecord> runs = new ArrayList<>();
        boolean passes = true;
        for (int s = 0; s < plan.seeds() && passes; s++) {
            long seed = plan.firstSeed() + s;
            Path dir = plan.outDir().resolve(plan.folder(value)).resolve("seed-" + seed);
            ScenarioRunner.Outcome outcome = ScenarioRunner.runLogged(plan.scenarioFile(), scenario, seed, plan.engine(), dir);
            RunRecord r = RunRecord.read(variant, seed, plan.outDir(), dir, outcome, metrics);
            runs.add(r);
            passes = !r.failed();
            done[0]++;
            if (!passes) {
                failed[0]++;
            }
            progress.update(done[0], Math.max(total, done[0]), failed[0]);
        }
        return new Point(value, passes, order, List.copyOf(runs));
    }
}
