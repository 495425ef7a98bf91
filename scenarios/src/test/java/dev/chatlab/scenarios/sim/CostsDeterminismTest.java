package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service times are drawn from the run's seeded streams only: the same seed gives the same bytes,
 * with the costs a full-level file gets by default.
 */
class CostsDeterminismTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveByteIdenticalRunsForTheSameSeedWhenTheNodesWorkHasCosts() throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library", "chaos-swarm.yaml"));
        assertThat(scenario.costs()).isNotNull();
        run(scenario, 7, "a");
        run(scenario, 7, "b");
        run(ScenarioLoader.load(Path.of("library", "chaos-swarm.yaml"), List.of("server.costs=none")), 7, "free");
        assertThat(bytes("a", "history.jsonl.gz")).isEqualTo(bytes("b", "history.jsonl.gz"));
        assertThat(bytes("a", "summary.json")).isEqualTo(bytes("b", "summary.json"));
        assertThat(Files.readString(dir.resolve("a").resolve("summary.json"))).contains("\"node_work\"");
        // ...and the costs did change the run.
        assertThat(bytes("a", "history.jsonl.gz")).isNotEqualTo(bytes("free", "history.jsonl.gz"));
    }

    private void run(Scenario scenario, long seed, String name) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SimRun.run(scenario, seed, dir.resolve(name), quiet, quiet);
    }

    private byte[] bytes(String run, String file) throws Exception {
        return Files.readAllBytes(dir.resolve(run).resolve(file));
    }
}
