package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The library's planted bugs are caught, and named, on the new world; without the bug the same run passes. */
class PlantedBugsTest {

    @TempDir
    Path dir;

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private SimRun.Result run(Scenario scenario, long seed, String out) throws Exception {
        return SimRun.run(scenario, seed, dir.resolve(out), QUIET, QUIET);
    }

    @Test
    void shouldReportDuplicateSeqsWhenAPartitionMeetsFailoverWithoutFencing() throws Exception {
        Scenario split = ScenarioLoader.load(Path.of("library/no-fencing-split-brain.yaml"));
        for (long seed = 1; seed <= 3; seed++) {
            SimRun.Result result = run(split, seed, "split-" + seed);
            // Two owners hand out the same seqs: duplicates, and messages overwritten (lost).
            assertThat(result.verdict().violated()).contains("unique-seq", "no-lost-ack");
            assertThat(result.exitCode()).isEqualTo(1);
        }
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("split-1/summary.json").toFile());
        assertThat(summary.path("faults").path("by_kind").path("partition").path("injected").asLong()).isEqualTo(1);
        assertThat(summary.path("settings").path("topology").path("fencing").asBoolean()).isFalse();
        assertThat(Files.readString(dir.resolve("split-1/verdict.xml"))).contains("unique-seq");
    }

    @Test
    void shouldHoldEveryInvariantUnderTheSamePartitionWithFencing() throws Exception {
        String text = Files.readString(Path.of("library/no-fencing-split-brain.yaml"))
                .replace("fencing: false", "fencing: true");
        Scenario fenced = ScenarioLoader.parse("fenced.yaml", "fenced", text);
        assertThat(fenced.topology().fencing()).isTrue();
        for (long seed = 1; seed <= 3; seed++) {
            SimRun.Result result = run(fenced, seed, "fenced-" + seed);
            assertThat(result.verdict().violated()).isEmpty();
            assertThat(result.acks()).isPositive();
        }
    }

    @Test
    void shouldReportOrderViolationsForSnowflakeIdsUnderSkewAndFailoverOnSeveralSeeds() throws Exception {
        Scenario skew = ScenarioLoader.load(Path.of("library/snowflake-skew.yaml"));
        for (long seed = 1; seed <= 3; seed++) {
            SimRun.Result result = run(skew, seed, "skew-" + seed);
            assertThat(result.verdict().violated()).contains("per-device-order", "sender-fifo");
            assertThat(result.exitCode()).isEqualTo(1);
        }
    }
}
