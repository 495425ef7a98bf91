package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed sweep: {@code library/chaos-swarm.yaml} (a small world, the strong strategies, a swarm
 * of faults drawn from each seed) for {@link #SEEDS} seeds. Every run must hold every invariant,
 * acknowledge messages and inject faults. A failing seed is printed, to replay with
 * {@code chatlab run scenarios/library/chaos-swarm.yaml --seed N}.
 */
class SeedSweepTest {

    static final int SEEDS = 250;

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryInvariantWithAcksAndInjectedFaultsOnEverySeedOfTheSwarm() throws Exception {
        Scenario swarm = ScenarioLoader.load(Path.of("library/chaos-swarm.yaml"));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<String> failures = new ArrayList<>();
        long injected = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimRun.Result r = SimRun.run(swarm, seed, dir.resolve("run"), quiet, quiet);
            injected += r.faultsInjected();
            if (!r.verdict().valid() || r.acks() == 0 || r.faultsInjected() == 0) {
                String failure = "seed=" + seed + " violated=" + r.verdict().violated() + " acks=" + r.acks()
                        + " faults_injected=" + r.faultsInjected();
                System.out.println("seed sweep: FAILED " + failure
                        + " (replay: chatlab run scenarios/library/chaos-swarm.yaml --seed " + seed + ")");
                failures.add(failure);
            }
        }
        System.out.println("seed sweep: " + SEEDS + " seeds of chaos-swarm.yaml, " + injected + " faults injected, "
                + failures.size() + " failed");
        assertThat(failures).isEmpty();
    }
}
