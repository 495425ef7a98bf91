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
        long slow = ackP50(storeModel("slow", 10_000));
        // An append is on every send's path to its ack: 10 ms more per append (the store two fifths busy, so
        // a little queueing too) shows in the median, well clear of the WAN links' noise at the median.
        assertThat(slow - fast).as("ack p50 %d us with 10 ms appends, %d us with 10 us ones", slow, fast)
                .isBetween(8_000L, 40_000L);
    }

    @Test
    void shouldLetOperationsTakeTheirTimeSideBySideWhenTheFileSaysQueueingNone() throws Exception {
        // 50 ms appends at the smoke file's rate: one at a time the store cannot keep up and sends queue
        // behind each other; as latencies measured at the node (queueing: none) each takes its own 50 ms.
        long fast = ackP50(storeModel("fast", 10, "  queueing: none\n"));
        long queued = ackP50(storeModel("one-at-a-time", 50_000, ""));
        long sideBySide = ackP50(storeModel("side-by-side", 50_000, "  queueing: none\n"));
        assertThat(sideBySide - fast).as("ack p50 %d us with 50 ms appends side by side, %d us with 10 us ones",
                sideBySide, fast).isBetween(40_000L, 65_000L);
        assertThat(queued - fast).as("ack p50 %d us with 50 ms appends one at a time", queued).isGreaterThan(500_000L);
    }

    private Path storeModel(String name, long appendMicros) throws Exception {
        return storeModel(name, appendMicros, "");
    }

    private Path storeModel(String name, long appendMicros, String extra) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "model: 1\nkind: store\nstore:\n" + extra + "  append: {dist: fixed, us: " + appendMicros + "}\n"
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
