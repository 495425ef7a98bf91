package dev.chatlab.experiments;

import dev.chatlab.scenarios.Scenario;

import java.nio.file.Path;
import java.util.List;

/**
 * One run an experiment asks for: which variant and seed, into which folder. A worker process
 * loads the scenario again from the file and its flags; this process uses the one already loaded.
 *
 * @param index    its place in the experiment's order (seed by seed, variants in order): results
 *                 are kept in this order whatever order they finish in
 * @param variant  the variant's index in the matrix
 * @param seed     the run's seed
 * @param dir      the run's folder
 * @param flags    the {@code --set} flags that make the variant, for a worker to load it
 * @param scenario the variant already loaded, for a run in this process
 * @param engine   where the run is made
 * @param fullSize whether a real run keeps the scenario's population instead of fitting it to this
 *                 machine: a run held against a simulated one must be the same world
 */
public record RunTask(int index, int variant, long seed, Path dir, List<String> flags, Scenario scenario,
                      ScenarioRunner.Engine engine, boolean fullSize) {
}
