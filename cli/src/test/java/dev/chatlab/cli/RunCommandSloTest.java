package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chatlab run} with a scenario's SLOs and {@code --set} flags: exits, console, and what the run folder records. */
class RunCommandSloTest {

    private static final String FILE = "src/test/resources/slo-unmeetable.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Captured run(String... args) {
        return Captured.execute(args);
    }

    @Test
    void shouldExit1NamingTheUnmeetableSloAndRecordItEverywhere(@TempDir Path dir) throws Exception {
        Captured run = run("run", FILE, "--out", dir.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(Chatlab.VIOLATED);
        assertThat(run.out()).contains("valid: 10 of 10 invariants held")
                .contains("  p99(send_to_ack) < 1us  VIOLATED: measured ")
                .contains("  fails <= 0              met: measured 0, bound <= 0")
                .contains("FAILED: SLO not met: p99(send_to_ack) < 1us");
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("valid").asBoolean()).isTrue();
        assertThat(summary.path("slo").path("met").asBoolean()).isFalse();
        assertThat(summary.path("slo").path("violated").toString()).isEqualTo("[\"p99(send_to_ack) < 1us\"]");
        JsonNode first = summary.path("slo").path("results").get(0);
        assertThat(first.path("measured").asLong()).isEqualTo(summary.path("latency_us").path("send_to_ack").path("p99_us").asLong());
        assertThat(first.path("status").asText()).isEqualTo("violated");
        JsonNode verdict = JSON.readTree(dir.resolve("verdict.json").toFile());
        assertThat(verdict.path("valid").asBoolean()).isTrue();
        assertThat(verdict.path("slo").path("met").asBoolean()).isFalse();
        String xml = Files.readString(dir.resolve("verdict.xml"));
        assertThat(xml).contains("tests=\"12\" failures=\"1\"")
                .contains("<testcase classname=\"chatlab-slo\" name=\"p99(send_to_ack) &lt; 1us\">")
                .contains("<testcase classname=\"chatlab-slo\" name=\"fails &lt;= 0\"/>");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("SLO not met");
    }

    @Test
    void shouldExit1AtTheCoarseLevelTooJudgedFromItsOwnSummary(@TempDir Path dir) throws Exception {
        Captured run = run("run", FILE, "--out", dir.toString(), "--set", "level=coarse");
        assertThat(run.exit()).as(run.err()).isEqualTo(Chatlab.VIOLATED);
        assertThat(run.out()).contains("FAILED: SLO not met: p99(send_to_ack) < 1us");
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("level").asText()).isEqualTo("coarse");
        assertThat(summary.path("overrides").toString()).isEqualTo("[\"level=coarse\"]");
        assertThat(Files.readString(dir.resolve("verdict.xml"))).contains("classname=\"chatlab-slo\"");
    }

    @Test
    void shouldApplyOverridesInOrderAndRecordThemInTheSummary(@TempDir Path dir) throws Exception {
        Captured run = run("run", FILE, "--out", dir.toString(), "--set", "topology.nodes=3", "--set", "slo=[fails <= 0]");
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Chatlab.OK);
        assertThat(run.out()).contains("nodes=3").contains("slo: 1 of 1 met");
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("settings").path("topology").path("nodes").asInt()).isEqualTo(3);
        assertThat(summary.path("overrides").toString()).isEqualTo("[\"topology.nodes=3\",\"slo=[fails <= 0]\"]");
        assertThat(summary.path("slo").path("met").asBoolean()).isTrue();
    }

    @Test
    void shouldExit2NamingTheFlagOfABadValueOrAnUnknownKey() {
        Captured bad = run("run", FILE, "--set", "topology.nodes=abc");
        assertThat(bad.exit()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(bad.err()).contains("chatlab run: --set topology.nodes=abc: expected an integer, got 'abc'");
        Captured unknown = run("run", FILE, "--set", "topology.nodez=4");
        assertThat(unknown.exit()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(unknown.err()).contains("--set topology.nodez=4: unknown key 'nodez' in topology; expected one of:");
    }
}
