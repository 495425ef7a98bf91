package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A kind: store model file times every store operation by its kind, in place of the disk model. */
class StoreModelFileRunTest {

    @TempDir
    Path dir;

    @Test
    void shouldWaitForTheStoresAppendsAsLongAsTheModelFileSays() throws Exception {
        long fast = ackP50(storeModel("fast", 10));
        long slow = ackP50(storeModel("slow", 5_000));
        // An append is on every send's path to its ack: 5 ms more per append (the store a fifth busy) shows in the median.
        assertThat(slow - fast).as("ack p50 %d us with 5 ms appends, %d us with 10 us ones", slow, fast)
                .isBetween(4_000L, 30_000L);
    }

    private Path storeModel(String name, long appendMicros) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "model: 1\nkind: store\nstore:\n  append: {dist: fixed, us: " + appendMicros + "}\n"
                + "  default: {dist: fixed, us: 10}\n");
        return file;
    }

    private long ackP50(Path model) throws Exception {
        var scenario = ScenarioLoader.load(Path.of("library", "smoke.yaml"), List.of("store.model=" + model, "faults=[]"));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path out = dir.resolve(model.getFileName() + "-run");
        SimRun.run(scenario, 1, out, quiet, quiet);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.path("valid").asBoolean()).isTrue();
        assertThat(summary.path("settings").path("store").path("model").asText()).isEqualTo(model.toString());
        return summary.path("latency_us").path("send_to_ack").path("p50_us").asLong();
    }
}
