package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatlab compare} end to end on the smoke scenario (about a quarter of a second a run):
 * the files, finite intervals, the same seeds for every variant, runs identical to {@code chatlab
 * run}'s, and the exit codes.
 */
class CompareCommandTest {

    private static final String SMOKE = "../scenarios/library/smoke.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldCompareTheVariantsOnCommonSeedsWithFiniteIntervals(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", SMOKE, "--vary", "client.reconnect=backoff,immediate", "--seeds", "3",
                "--seed", "7", "--out", dir.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        assertThat(c.err()).contains("compare: 6/6 runs, 0 failed, took ");
        assertThat(c.out()).contains("v2  client.reconnect=immediate", "every run held every invariant and met every SLO (6 runs)");
        for (String f : List.of("comparison.json", "comparison.csv", "comparison.html")) {
            assertThat(dir.resolve(f)).isNotEmptyFile();
        }
        JsonNode json = JSON.readTree(dir.resolve("comparison.json").toFile());
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.path("experiment").path("seeds").toString()).isEqualTo("[7,8,9]");
        JsonNode p99 = metric(json, "p99(send_to_ack)");
        for (JsonNode cell : p99.path("by_variant")) {
            assertThat(cell.path("n").asInt()).isEqualTo(3);
            assertThat(cell.path("ci95").get(0).isNumber()).isTrue();
            assertThat(Double.isFinite(cell.path("half_width").asDouble(Double.NaN))).isTrue();
            assertThat(cell.path("ci95").get(0).asDouble()).isLessThanOrEqualTo(cell.path("mean").asDouble());
        }
        assertThat(p99.path("by_variant").get(1).path("vs_first").path("p_value").isNumber()).isTrue();
        // Common random numbers: every variant ran seeds 7, 8, 9, and each run's own summary says so.
        List<String> runs = new ArrayList<>();
        for (JsonNode run : json.path("runs")) {
            JsonNode summary = JSON.readTree(dir.resolve(run.path("folder").asText()).resolve("summary.json").toFile());
            assertThat(summary.path("seed").asLong()).isEqualTo(run.path("seed").asLong());
            assertThat(dir.resolve(run.path("report").asText())).isNotEmptyFile();
            runs.add(run.path("variant").asText() + "@" + run.path("seed").asLong());
            assertThat(run.path("invariants_violated").toString()).isEqualTo("[]");
        }
        assertThat(runs).containsExactly("v1@7", "v2@7", "v1@8", "v2@8", "v1@9", "v2@9");
        String html = Files.readString(dir.resolve("comparison.html"));
        assertThat(html).contains("<svg", "v2-immediate/seed-8/report.html").doesNotContain("<script", "https://");
        assertThat(Files.readString(dir.resolve("comparison.csv"))).startsWith("metric,unit,variant,label,n,mean,ci95_low")
                .contains("\"p99(send_to_ack)\"".replace("\"", ""));
    }

    @Test
    void shouldMakeEachRunExactlyAsChatlabRunMakesIt(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", SMOKE, "--vary", "client.reconnect=immediate", "--set", "topology.nodes=4",
                "--seeds", "1", "--seed", "5", "--out", dir.resolve("compare").toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        Captured run = Captured.execute("run", SMOKE, "--set", "topology.nodes=4", "--set", "client.reconnect=immediate",
                "--seed", "5", "--out", dir.resolve("run").toString());
        assertThat(run.exit()).isEqualTo(Chatlab.OK);
        assertThat(Files.readString(dir.resolve("compare/v1-immediate/seed-5/summary.json")))
                .isEqualTo(Files.readString(dir.resolve("run/summary.json")));
    }

    @Test
    void shouldRunTheShippedHerdExperimentFileAndSeeImmediateReconnectsMeltTheSurvivors(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", "../experiments/herd-policy.yaml", "--seeds", "1", "--out", dir.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        JsonNode json = JSON.readTree(dir.resolve("comparison.json").toFile());
        assertThat(json.path("experiment").path("set").toString()).isEqualTo("[\"client.jitter_window=30s\"]");
        JsonNode herd = metric(json, "peak(connect_attempt_rate)").path("by_variant");
        assertThat(herd).hasSize(3);
        // immediate against jitter and backoff: the tallest burst of connection attempts on the survivors
        // (a short one since devices skip a refusing node for a second, as the real fleet does)
        assertThat(herd.get(1).path("mean").asDouble()).isLessThan(herd.get(0).path("mean").asDouble() / 4);
        assertThat(herd.get(2).path("mean").asDouble()).isLessThan(herd.get(0).path("mean").asDouble());
    }

    @Test
    void shouldAddSeedsUntilTheIntervalsAreNarrowAndDrawARange(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", SMOKE, "--set", "client.reconnect=jitter", "--vary", "client.jitter_window=1s..3s/3",
                "--seeds", "2", "--until-ci", "10%", "--max-seeds", "5", "--metric", "p50(send_to_ack)", "--out", dir.toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        JsonNode json = JSON.readTree(dir.resolve("comparison.json").toFile());
        // Two seeds (and three) leave an interval wider than 10% of its mean (else it would say "met with 2 seeds").
        assertThat(json.path("experiment").path("until_ci").path("outcome").asText()).isEqualTo("met with 4 seeds");
        assertThat(json.path("experiment").path("seeds").toString()).isEqualTo("[1,2,3,4]");
        for (JsonNode cell : metric(json, "p50(send_to_ack)").path("by_variant")) {
            assertThat(cell.path("half_width").asDouble()).isLessThanOrEqualTo(0.1 * cell.path("mean").asDouble());
        }
        assertThat(Files.readString(dir.resolve("comparison.html"))).contains("p50(send_to_ack) against client.jitter_window");

        Captured limited = Captured.execute("compare", SMOKE, "--seeds", "2", "--until-ci", "0.01%", "--max-seeds", "3",
                "--metric", "p99(send_to_ack)", "--out", dir.resolve("limited").toString());
        assertThat(limited.exit()).isEqualTo(Chatlab.OK);
        assertThat(limited.out()).contains("until-ci: not met at the limit of 3 seeds: v1 p99(send_to_ack): +-");
    }

    @Test
    void shouldWriteTheSameBytesOverWorkerProcessesAsInOneProcess(@TempDir Path dir) throws Exception {
        String[] args = {"compare", SMOKE, "--vary", "client.reconnect=backoff,immediate", "--seeds", "2", "--until-ci", "1%",
            "--max-seeds", "3", "--metric", "p99(send_to_ack)", "--out"};
        Captured one = Captured.execute(concat(args, dir.resolve("one").toString()));
        Captured two = Captured.execute(concat(args, dir.resolve("two").toString(), "--parallel", "2"));
        assertThat(one.exit()).as(one.err()).isEqualTo(Chatlab.OK);
        assertThat(two.exit()).as(two.err()).isEqualTo(Chatlab.OK);
        List<Path> files;
        try (var walk = Files.walk(dir.resolve("one"))) {
            // console.txt names the run's own folder, which differs between the two experiments by construction
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("console.txt")).toList();
        }
        assertThat(files).hasSizeGreaterThan(6 * 6);
        for (Path f : files) {
            Path other = dir.resolve("two").resolve(dir.resolve("one").relativize(f));
            assertThat(Files.mismatch(f, other)).as(other.toString()).isEqualTo(-1L);
        }
        assertThat(JSON.readTree(dir.resolve("two/comparison.json").toFile()).path("experiment").path("seeds").toString())
                .isEqualTo("[1,2,3]");
    }

    private static String[] concat(String[] head, String... tail) {
        String[] out = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    @Test
    void shouldExit1NamingTheRunAndTheSloItMissed(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", SMOKE, "--vary", "topology.nodes=3", "--set", "slo=[p99(send_to_ack) < 1us]",
                "--seeds", "1", "--out", dir.toString());
        assertThat(c.exit()).isEqualTo(Chatlab.VIOLATED);
        assertThat(c.out()).contains("FAILED: v1 (topology.nodes=3) seed 1: SLO p99(send_to_ack) < 1us not met (measured ")
                .contains("FAILED: 1 of 1 runs");
        assertThat(c.err()).contains("compare: 1/1 runs, 1 failed");
        JsonNode run = JSON.readTree(dir.resolve("comparison.json").toFile()).path("runs").get(0);
        assertThat(run.path("slo").path("violated").toString()).isEqualTo("[\"p99(send_to_ack) < 1us\"]");
        assertThat(run.path("exit").asInt()).isEqualTo(Chatlab.VIOLATED);
    }

    @Test
    void shouldExit1NamingTheRunAndTheInvariantsItViolated(@TempDir Path dir) throws Exception {
        Captured c = Captured.execute("compare", "../scenarios/library/snowflake-skew.yaml", "--seeds", "1", "--metric", "counts.acks",
                "--out", dir.toString());
        assertThat(c.exit()).isEqualTo(Chatlab.VIOLATED);
        assertThat(c.out()).contains("FAILED: v1 seed 1: invariant per-device-order violated;");
        JsonNode run = JSON.readTree(dir.resolve("comparison.json").toFile()).path("runs").get(0);
        assertThat(run.path("invariants_violated").toString()).contains("\"per-device-order\"");
        assertThat(JSON.readTree(dir.resolve("comparison.json").toFile()).path("ok").asBoolean()).isFalse();
    }

    @Test
    void shouldFailAComparisonThatJudgedNothing(@TempDir Path dir) {
        Captured c = Captured.execute("compare", SMOKE, "--set", "workload.messages_per_second=0", "--seeds", "1",
                "--out", dir.toString());
        assertThat(c.exit()).isEqualTo(Chatlab.VIOLATED);
        assertThat(c.out()).contains("judged nothing: no message was sent", "FAILED: the comparison judged nothing");
    }

    @Test
    void shouldExit2NamingTheFlagBeforeAnyRun(@TempDir Path dir) {
        assertBad(dir, "--vary client.reconnect=backoff,jiter (the value jiter): ", "--vary", "client.reconnect=backoff,jiter");
        assertBad(dir, "--vary client.reconnect: expected KEY=V1,V2", "--vary", "client.reconnect");
        assertBad(dir, "--vary topology.nodes=2,3: the key topology.nodes is varied twice", "--vary", "topology.nodes=1",
                "--vary", "topology.nodes=2,3");
        assertBad(dir, "--until-ci 5: expected a percentage", "--until-ci", "5");
        assertBad(dir, "--seeds 0: expected at least 1 seed", "--seeds", "0");
        assertBad(dir, "--max-seeds 2: expected at least --seeds (3)", "--seeds", "3", "--max-seeds", "2");
        assertBad(dir, "--metric: unknown metric 'p98(send_to_ack)'", "--metric", "p98(send_to_ack)");
        assertBad(dir, "--engine fast: expected sim or real", "--engine", "fast");
        assertBad(dir, "--parallel 0: expected at least 1 process", "--parallel", "0");
        assertThat(dir).isEmptyDirectory();
    }

    private static void assertBad(Path dir, String message, String... flags) {
        List<String> args = new ArrayList<>(List.of("compare", SMOKE, "--out", dir.resolve("x").toString()));
        args.addAll(List.of(flags));
        Captured c = Captured.execute(args.toArray(String[]::new));
        assertThat(c.exit()).as(c.err()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(c.err()).contains("chatlab compare: " + message);
    }

    private static JsonNode metric(JsonNode json, String name) {
        for (JsonNode m : json.path("metrics")) {
            if (m.path("metric").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + name + " in " + json.path("metrics"));
    }
}
