package dev.chatlab.experiments;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.scenarios.sim.SimRun;

import java.util.ArrayList;
import java.util.List;

/**
 * An experiment whose every variant has been loaded and validated before the first run starts, so
 * that a bad value in the last variant is refused at once (exit 2, the flag named) rather than
 * after an hour of runs.
 *
 * @param experiment what was asked
 * @param variants   the matrix, in order
 * @param scenarios  each variant's scenario, in the same order
 * @param firstSeed  the first seed (the experiment's, else the file's, else 1)
 */
public record PreparedExperiment(Experiment experiment, List<Variant> variants, List<Scenario> scenarios, long firstSeed) {

    /** Loads every variant; the exception names the file's line or the flag that made it bad. */
    public static PreparedExperiment of(Experiment experiment) throws ScenarioException {
        for (VaryAxis axis : experiment.axes()) {
            if (axis.key().equals(Variant.ENGINE_KEY)) {
                for (String value : axis.values()) {
                    if (ScenarioRunner.Engine.parse(value) == null) {
                        throw new ScenarioException(axis.source(), 0, 0, "expected engines sim and real, got '" + value + "'");
                    }
                }
            }
        }
        List<Variant> variants = Variant.matrix(experiment.axes());
        List<Scenario> scenarios = new ArrayList<>();
        for (Variant v : variants) {
            List<String> flags = new ArrayList<>(experiment.sets());
            flags.addAll(v.overrides());
            try {
                scenarios.add(ScenarioLoader.load(experiment.scenarioFile(), flags));
            } catch (ScenarioException e) {
                throw blameAxis(experiment, v, e);
            }
        }
        long firstSeed = experiment.firstSeed() != null ? experiment.firstSeed() : SimRun.seedFor(null, scenarios.get(0));
        return new PreparedExperiment(experiment, variants, List.copyOf(scenarios), firstSeed);
    }

    /** Whether the variants run on more than one engine: the comparison then holds the simulator against the real cluster. */
    public boolean variesEngine() {
        return variants.stream().map(v -> v.engine(experiment.engine())).distinct().count() > 1;
    }

    /** A variant's value is a {@code --set} to the loader; the user wrote it in a {@code --vary}, so that is what to name. */
    private static ScenarioException blameAxis(Experiment experiment, Variant v, ScenarioException e) {
        for (VaryAxis axis : experiment.axes()) {
            String flag = "--set " + axis.key() + "=" + v.settings().get(axis.key());
            if (e.file().equals(flag)) {
                String reason = e.getMessage().substring(e.file().length() + 2);
                return new ScenarioException(axis.source() + " (the value " + v.settings().get(axis.key()) + ")", 0, 0, reason);
            }
        }
        return e;
    }
}
