package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code client.fleet_frame}, every device's frames go through one loop, as a real run's
 * recording fleet's do: a send waits its turn on the way out and its ack on the way in, and a
 * delivery its turn behind every other device's frames.
 */
class FleetLoopTest {

    private static final Path FILE = Path.of("calibration", "group-fanout.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldPutEveryDevicesFramesThroughOneLoop() throws Exception {
        JsonNode cheap = run("cheap", "1us");
        JsonNode dear = run("dear", "300us");
        long ackCheap = p50(cheap, "send_to_ack");
        long ackDear = p50(dear, "send_to_ack");
        long deliverCheap = p50(cheap, "send_to_deliver");
        long deliverDear = p50(dear, "send_to_deliver");
        // A light load (the loop about a tenth busy at 300 us a frame), so that what shows is the loop's
        // order, not its queue. The send out and its ack in: 600 us at least.
        assertThat(ackDear - ackCheap).as("ack p50 %d us at 300 us a frame, %d us at 1 us", ackDear, ackCheap)
                .isGreaterThanOrEqualTo(600);
        // A delivery waits for its send on the way out and for itself, behind the others', on the way in.
        assertThat(deliverDear - deliverCheap).as("deliver p50 %d us at 300 us a frame, %d us at 1 us", deliverDear,
                deliverCheap).isGreaterThanOrEqualTo(600);
        assertThat(dear.path("settings").path("client").path("fleet_frame").asText()).isEqualTo("300us");
        assertThat(dear.path("valid").asBoolean()).as("%s", dear.path("verdict")).isTrue();
    }

    private JsonNode run(String name, String frame) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        var scenario = ScenarioLoader.load(FILE, List.of("client.fleet_frame=" + frame, "population.users=100",
                "population.chats=10", "workload.messages_per_second=10", "duration=8s", "quiesce_at=6s"));
        SimRun.run(scenario, 1, dir.resolve(name), quiet, quiet);
        return JSON.readTree(dir.resolve(name).resolve("summary.json").toFile());
    }

    private static long p50(JsonNode summary, String latency) {
        return summary.path("latency_us").path(latency).path("p50_us").asLong();
    }
}
