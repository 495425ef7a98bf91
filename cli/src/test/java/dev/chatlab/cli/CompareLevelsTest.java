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
 * {@code chatlab compare --vary level=coarse,full} end to end on a tiny world (200 devices, 4 s; a
 * few seconds): the same file runs at both simulator levels, and every output holds each metric at
 * both with its gap, as {@code --vary engine=sim,real} does (CompareEnginesTest), computed from the
 * two runs' own values.
 */
class CompareLevelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldHoldTheCoarseLevelAgainstTheFullOneMetricByMetric(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", "../scenarios/calibration/coarse-full-kill.yaml", "--vary", "level=coarse,full",
                "--seeds", "1", "--set", "population.users=200", "--set", "population.chats=100",
                "--set", "workload.messages_per_second=200", "--set", "duration=6s", "--set", "quiesce_at=5s",
                "--set", "faults=[{at: 2s, kill: n2}]", "--out", dir.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        assertThat(c.out()).contains("v1  level=coarse", "v2  level=full",
                "coarse level against the full level (medians over seeds; gap = (coarse - full) / |full|)");
        JsonNode json = JSON.readTree(dir.resolve("comparison.json").toFile());
        assertThat(json.has("engine_gaps")).isFalse();
        JsonNode coarse = json.path("runs").get(0);
        JsonNode full = json.path("runs").get(1);
        JsonNode gaps = json.path("level_gaps");
        // A coarse run has no history: its sessions per node and its reconnections come from its own summary.
        for (String metric : new String[] {"p50(send_to_ack)", "p99(send_to_deliver)", "throughput(delivers)",
                "p50(reconnect)", "sessions_per_node(max)", "sessions_per_node(min)"}) {
            JsonNode g = null;
            for (JsonNode x : gaps) {
                g = x.path("metric").asText().equals(metric) ? x : g;
            }
            assertThat(g).as(metric + " in " + gaps).isNotNull();
            double s = coarse.path("values").path(metric).asDouble();
            double f = full.path("values").path(metric).asDouble();
            assertThat(s).as(metric).isPositive();
            assertThat(f).as(metric).isPositive();
            assertThat(g.path("coarse").asDouble()).as(metric).isEqualTo(s);
            assertThat(g.path("full").asDouble()).as(metric).isEqualTo(f);
            assertThat(g.path("gap").asDouble()).as(metric).isCloseTo((s - f) / f, within(1e-9));
            assertThat(g.path("coarse_variant").asText()).isEqualTo("v1");
            assertThat(g.path("full_variant").asText()).isEqualTo("v2");
        }
        assertThat(Files.readString(dir.resolve("comparison.csv"))).contains(",median,level_gap_vs_full\n");
        assertThat(Files.readString(dir.resolve("comparison.html"))).contains("Coarse level against the full level");
    }
}
