package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code chatlab compare --vary engine=sim,real} end to end on a tiny one-to-one world (40
 * devices, 10 s; about 30 s, most of it starting the real cluster): the same world runs in the
 * simulator and on real processes, and the comparison holds each metric in both with its gap,
 * computed from the two runs' own values.
 */
class CompareEnginesTest {

    private static final String ONE_TO_ONE = "../scenarios/calibration/one-to-one.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldHoldTheSimulatorAgainstTheRealClusterMetricByMetric(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", ONE_TO_ONE, "--vary", "engine=sim,real", "--seeds", "1",
                "--set", "population.users=40", "--set", "population.chats=20", "--set", "workload.messages_per_second=20",
                "--set", "duration=10s", "--set", "quiesce_at=6s", "--out", dir.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        assertThat(c.out()).contains("v1  engine=sim", "v2  engine=real", "simulator against the real cluster");
        JsonNode json = JSON.readTree(dir.resolve("comparison.json").toFile());
        JsonNode sim = json.path("runs").get(0);
        JsonNode real = json.path("runs").get(1);
        assertThat(JSON.readTree(dir.resolve(sim.path("folder").asText()).resolve("summary.json").toFile())
                .path("engine").asText()).isEqualTo("sim");
        assertThat(JSON.readTree(dir.resolve(real.path("folder").asText()).resolve("summary.json").toFile())
                .path("engine").asText()).isEqualTo("real");
        JsonNode gaps = json.path("engine_gaps");
        for (String metric : new String[] {"p50(send_to_ack)", "p99(send_to_ack)", "p50(send_to_deliver)",
                "p99(send_to_deliver)", "throughput(delivers)", "sessions_per_node(max)"}) {
            JsonNode g = find(gaps, metric);
            assertThat(g).as(metric + " in " + gaps).isNotNull();
            double s = sim.path("values").path(metric).asDouble();
            double r = real.path("values").path(metric).asDouble();
            assertThat(s).as(metric).isPositive();
            assertThat(r).as(metric).isPositive();
            assertThat(g.path("sim").asDouble()).as(metric).isEqualTo(s);
            assertThat(g.path("real").asDouble()).as(metric).isEqualTo(r);
            assertThat(g.path("gap").asDouble()).as(metric).isCloseTo((s - r) / r, within(1e-9));
            assertThat(g.path("sim_variant").asText()).isEqualTo("v1");
            assertThat(g.path("real_variant").asText()).isEqualTo("v2");
        }
        // The real run kept every device: a comparison with the simulator is of the same world.
        JsonNode realSummary = JSON.readTree(dir.resolve(real.path("folder").asText()).resolve("summary.json").toFile());
        assertThat(realSummary.path("scale").path("factor").asDouble()).isEqualTo(1.0);
        assertThat(Files.readString(dir.resolve("comparison.csv"))).contains(",median,engine_gap_vs_real\n");
        assertThat(Files.readString(dir.resolve("comparison.html"))).contains("Simulator against the real cluster");
    }

    private static JsonNode find(JsonNode gaps, String metric) {
        for (JsonNode g : gaps) {
            if (g.path("metric").asText().equals(metric)) {
                return g;
            }
        }
        return null;
    }
}
