package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code library/chaos-swarm.yaml} with chats pinned to home nodes, for {@link #SEEDS} seeds: kills,
 * partitions, one-way cuts, spikes, skew, slow disks and mass disconnects drawn from each seed.
 * A partitioned home keeps serving the devices on its side; the other side's sends to its chats
 * fail. No seed may break an invariant, and the sweep as a whole must see sends fail.
 */
class PinnedSeedSweepTest {

    /** 80 by default (about 15 s); {@code -Dchatlab.pinned.seeds=N} sweeps more by hand. */
    static final int SEEDS = Integer.getInteger("chatlab.pinned.seeds", 80);

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryInvariantOnEverySeedOfTheSwarmWithPinnedHomes() throws Exception {
        String text = Files.readString(Path.of("library/chaos-swarm.yaml"));
        String pinned = text.replace("topology:\n  nodes: 3\n", "topology:\n  nodes: 3\n  ownership: pinned\n");
        assertThat(pinned).isNotEqualTo(text);
        Scenario swarm = ScenarioLoader.parse("chaos-swarm-pinned.yaml", "chaos-swarm-pinned", pinned);
        assertThat(swarm.topology().pinned()).isTrue();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<String> failures = new ArrayList<>();
        long fails = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimRun.Result r = SimRun.run(swarm, seed, dir.resolve("run"), quiet, quiet);
            fails += ((Number) r.counts().get("fails")).longValue();
            if (!r.verdict().valid() || r.acks() == 0 || r.faultsInjected() == 0) {
                failures.add("seed=" + seed + " violated=" + r.verdict().violated() + " acks=" + r.acks()
                        + " faults_injected=" + r.faultsInjected());
            }
        }
        System.out.println("pinned seed sweep: " + SEEDS + " seeds, " + fails + " sends failed, " + failures.size()
                + " seeds failed " + failures);
        assertThat(failures).isEmpty();
        assertThat(fails).as("sends refused while a home was down or cut off").isPositive();
    }
}
