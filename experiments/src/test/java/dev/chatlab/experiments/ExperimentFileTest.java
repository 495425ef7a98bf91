package dev.chatlab.experiments;

import dev.chatlab.scenarios.ScenarioException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Experiment files: what they hold, and errors that name the file, line, column and key, as scenario files do. */
class ExperimentFileTest {

    private static final String SMOKE = Path.of("../scenarios/library/smoke.yaml").toAbsolutePath().normalize().toString();

    @Test
    void shouldReadEveryKeyWithTheScenarioRelativeToTheFile(@TempDir Path dir) throws Exception {
        Path file = write(dir, """
                scenario: %s
                set: {client.reconnect: jitter, topology.nodes: 4}
                vary:
                  client.jitter_window: 1s..3s/3
                  faults: [[], [{at: 2s, kill: n1}]]
                seeds: 4
                seed: 9
                engine: sim
                metrics: [p99(send_to_ack), counts.acks]
                until_ci: 5%%
                max_seeds: 20
                """.formatted(SMOKE));
        assertThat(ExperimentFile.isExperiment(file)).isTrue();
        assertThat(ExperimentFile.isExperiment(Path.of(SMOKE))).isFalse();
        ExperimentFile e = ExperimentFile.load(file);
        assertThat(e.scenario().toAbsolutePath().normalize().toString()).isEqualTo(SMOKE);
        assertThat(e.sets()).containsExactly("client.reconnect=jitter", "topology.nodes=4");
        assertThat(e.axes()).hasSize(2);
        assertThat(e.axes().get(0).values()).containsExactly("1s", "2s", "3s");
        assertThat(e.axes().get(1).values()).containsExactly("[]", "[{\"at\":\"2s\",\"kill\":\"n1\"}]");
        assertThat(e.seeds()).isEqualTo(4);
        assertThat(e.seed()).isEqualTo(9L);
        assertThat(e.metrics()).containsExactly("p99(send_to_ack)", "counts.acks");
        assertThat(e.untilCi()).isEqualTo(0.05);
        assertThat(e.maxSeeds()).isEqualTo(20);
    }

    @Test
    void shouldNameTheLineColumnAndKeyOfABadFile(@TempDir Path dir) throws Exception {
        String head = "scenario: " + SMOKE + "\n";
        assertBad(dir, head + "seeds: 3\nvariants: {}\n", ":3:1: unknown key 'variants'; expected one of: scenario, set, vary");
        assertBad(dir, "scenario: nowhere.yaml\n", ":1:11: scenario: no such file: nowhere.yaml");
        assertBad(dir, head + "vary:\n  client.jitter_window: 30s..1s/3\n",
                ":3:25: vary.client.jitter_window: a range goes from a lower to a higher value, got 30s..1s");
        assertBad(dir, head + "seeds: three\n", ":2:8: seeds: expected a whole number of at least 1, got 'three'");
        assertBad(dir, head + "metrics:\n  - p99(send_to_ack)\n  - p98(send_to_ack)\n", ":4:5: metrics[1]: unknown metric 'p98(send_to_ack)'");
        assertBad(dir, head + "until_ci: 5\n", ":2:11: until_ci: expected a percentage");
        assertBad(dir, head + "engine: fast\n", ":2:9: engine: expected sim or real, got 'fast'");
        assertBad(dir, head + "vary: [a, b]\n", ":2:7: vary: expected a mapping");
        assertBad(dir, head + "vary: {a: [x\n", ": not valid YAML");
    }

    @Test
    void shouldNameTheFileLineOfAVariedValueTheScenarioRefuses(@TempDir Path dir) throws Exception {
        Path file = write(dir, "scenario: " + SMOKE + "\nvary:\n  client.reconnect: [backoff, jiter]\n");
        ExperimentFile e = ExperimentFile.load(file);
        Experiment experiment = new Experiment(e.scenario(), e.sets(), e.axes(), null, 1, ScenarioRunner.Engine.SIM,
                Metric.named(Metric.DEFAULTS), null, 1, dir.resolve("out"), 1);
        assertThatThrownBy(() -> PreparedExperiment.of(experiment)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(file + ":3:21: vary.client.reconnect (the value jiter): ")
                .hasMessageContaining("jiter");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private static void assertBad(Path dir, String text, String message) throws Exception {
        Path file = write(dir, text);
        assertThatThrownBy(() -> ExperimentFile.load(file)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    private static Path write(Path dir, String text) throws Exception {
        Path file = dir.resolve("exp.yaml");
        Files.writeString(file, text);
        return file;
    }
}
