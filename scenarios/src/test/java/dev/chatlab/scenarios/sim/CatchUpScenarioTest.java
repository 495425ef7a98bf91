package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeds of the swarm where devices connected through the quiesce never caught up (issue 20), each
 * by a mechanism that only a whole cluster with partitions noticed by membership shows. chat-core's
 * own tests (CatchUpTest, StayingBehindTest, ComingBackOnlineTest) cover the others.
 */
class CatchUpScenarioTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private static String swarm() throws Exception {
        return Files.readString(Path.of("library/chaos-swarm.yaml"));
    }

    private SimRun.Result run(String name, String yaml, long seed) throws Exception {
        Scenario scenario = ScenarioLoader.parse(name + ".yaml", name, yaml);
        return SimRun.run(scenario, seed, dir.resolve(name), QUIET, QUIET);
    }

    /**
     * Seed 42: a one-way cut makes the chat's owner drop the far node from its view, and with it
     * the devices there from its directory; a push meanwhile goes to their users' push sink. When
     * the cut heals, the directory is repaired from the far node's snapshot, and the owner must
     * look again at who is behind rather than take its chats for settled.
     */
    @Test
    void shouldCatchUpDevicesTheOwnerTookForOfflineDuringACut() throws Exception {
        SimRun.Result r = run("swarm-42", swarm(), 42);

        assertThat(r.verdict().violated()).as("seed 42 of chaos-swarm.yaml").isEmpty();
        assertThat(r.verdict().invariant("no-lost-ack").judged()).isPositive();
    }

    /**
     * Seed 34 with pull fan-out: during a partition each side owns the chat in turn, and the side
     * that wrote last is not the chat's owner once the partition heals. The owner that comes back
     * holds an old head in memory and would take the devices for up to date; it claims its chats
     * afresh when a node joins, and nudges them to the true head.
     */
    @Test
    void shouldCatchUpDevicesOfAChatWhoseOwnerHeldAStaleHeadAfterAPartition() throws Exception {
        String swarm = swarm();
        String pull = swarm.replace("fanout: hybrid", "fanout: pull");
        assertThat(pull).isNotEqualTo(swarm);

        SimRun.Result r = run("swarm-pull-34", pull, 34);

        assertThat(r.verdict().violated()).as("seed 34 of chaos-swarm.yaml with pull fan-out").isEmpty();
        assertThat(r.verdict().invariant("no-lost-ack").judged()).isPositive();
    }
}
