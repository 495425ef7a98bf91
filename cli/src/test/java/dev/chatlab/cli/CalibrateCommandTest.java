package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chatlab.experiments.calibration.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatlab calibrate} on a short run (one node, 20 devices, 4 s; about 20 s with the cluster's
 * start): the model files it writes parse back, and the node's says what a send cost, measured.
 */
class CalibrateCommandTest {

    @Test
    void shouldWriteModelFilesThatParseBackWithMeasuredSends(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        Captured c = Captured.execute("calibrate", "--nodes", "1", "--seconds", "4", "--warmup", "2", "--users", "20", "--rate", "20",
                "--models", models.toString(), "--out", dir.resolve("run").toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        assertThat(c.out()).contains("frame.send", "wrote ", "(the first 2 s left out)",
                "warm-up over, the nodes' service times cleared at");
        JsonNode node = ModelFile.parse(Files.readString(models.resolve("calibrated-node.yaml")));
        assertThat(node.path("kind").asText()).isEqualTo("node");
        assertThat(node.path("node").path("frame").path("send").path("samples").asLong()).isPositive();
        assertThat(node.path("node").path("connect").path("samples").asLong()).isPositive();
        assertThat(node.path("node").path("cores").asInt()).as("the node's one protocol event loop").isEqualTo(1);
        assertThat(node.path("measured").path("by").asText()).startsWith("chatlab calibrate --nodes 1");
        assertThat(node.path("measured").path("machine").path("cores").asInt()).isPositive();
        JsonNode store = ModelFile.parse(Files.readString(models.resolve("calibrated-postgres.yaml")));
        assertThat(store.path("kind").asText()).isEqualTo("store");
        assertThat(store.path("store").path("default").path("samples").asLong()).isPositive();
    }

    @Test
    void shouldRefuseAWarmUpAsLongAsTheRun() {
        Captured c = Captured.execute("calibrate", "--seconds", "5", "--warmup", "5");
        assertThat(c.exit()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(c.err()).contains("--warmup 5: expected from 0 to less than --seconds (5)");
    }

    @Test
    void shouldRefuseTwoNodes() {
        Captured c = Captured.execute("calibrate", "--nodes", "2");
        assertThat(c.exit()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(c.err()).contains("--nodes 2: expected 1 or 3");
    }
}
