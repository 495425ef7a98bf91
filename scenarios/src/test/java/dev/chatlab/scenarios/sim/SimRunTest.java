package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SimRunTest {

    /** A short run of the smoke scenario's shape, so the determinism checks stay fast. */
    private static final String SHORT = """
            name: short
            duration: 4s
            quiesce_at: 2500ms
            population: {users: 8, devices_per_user: 2, chats: 4, group_size: 3}
            workload: {messages_per_second: 30, read_probability: 0.3, typing_probability: 0.2}
            faults:
              - {at: 800ms, kill: n2}
              - {at: 1500ms, restart: n2}
            """;

    @TempDir
    Path dir;

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    private SimRun.Result run(Scenario scenario, long seed, String out) throws IOException {
        return SimRun.run(scenario, seed, dir.resolve(out), QUIET, QUIET);
    }

    private static String historyDigest(Path runDir) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(runDir.resolve("history.jsonl.gz")))) {
            sha.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Test
    void shouldWriteByteIdenticalHistoryAndSummaryForTheSameSeed() throws Exception {
        Scenario scenario = ScenarioLoader.parse("short.yaml", "short", SHORT);
        SimRun.Result first = run(scenario, 7, "a");
        SimRun.Result second = run(scenario, 7, "b");
        assertThat(historyDigest(first.outDir())).isEqualTo(historyDigest(second.outDir()));
        assertThat(Files.readAllBytes(first.outDir().resolve("history.jsonl.gz")))
                .isEqualTo(Files.readAllBytes(second.outDir().resolve("history.jsonl.gz")));
        assertThat(Files.readString(first.outDir().resolve("summary.json")))
                .isEqualTo(Files.readString(second.outDir().resolve("summary.json")));
        assertThat(Files.readString(first.outDir().resolve("verdict.json")))
                .isEqualTo(Files.readString(second.outDir().resolve("verdict.json")));
    }

    @Test
    void shouldNameKernelEventsAndHistoryEventsApartAndStateTheReconnectBucket() throws Exception {
        Scenario scenario = ScenarioLoader.parse("short.yaml", "short", SHORT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        SimRun.run(scenario, 7, dir.resolve("named"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("[sim] t=1s/4s kernel_events=").doesNotContain(" events=");
        assertThat(console).contains("counts: {history_events=").doesNotContain(" events=").doesNotContain("{events=");
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("named/summary.json").toFile());
        assertThat(summary.path("counts").has("history_events")).isTrue();
        // A 4 s run has 100 ms buckets: the line says so, and why, with the time of each peak.
        assertThat(console).containsPattern("reconnects after the first second's logins: at most \\d+ devices connected in one"
                + " 100ms bucket \\(from t=[0-9.]+m?s\\), at most \\d+ connect attempts in one \\(from t=[0-9.]+m?s\\)"
                + " \\(buckets of 100ms: the run's 4s in about 60, a multiple of 100ms;");
    }

    @Test
    void shouldStateALongerRunsLargerBucket() {
        assertThat(SimRun.reconnectPeaks(java.util.List.of(40L, 1L, 2L, 9L, 3L), java.util.List.of(40L, 2L, 7L, 3L, 3L),
                600_000, 36_000_000))
                .startsWith("reconnects after the first second's logins: at most 9 devices connected in one 600ms bucket"
                        + " (from t=1.8s), at most 7 connect attempts in one (from t=1.2s) (buckets of 600ms: the run's 36s");
    }

    @Test
    void shouldWriteADifferentHistoryForADifferentSeed() throws Exception {
        Scenario scenario = ScenarioLoader.parse("short.yaml", "short", SHORT);
        SimRun.Result one = run(scenario, 7, "seven");
        SimRun.Result other = run(scenario, 8, "eight");
        assertThat(historyDigest(one.outDir())).isNotEqualTo(historyDigest(other.outDir()));
    }

    @Test
    void shouldReplayASwarmOfFaultsByteForByteAndDrawAnotherMixForAnotherSeed() throws Exception {
        Scenario swarm = ScenarioLoader.load(Path.of("library/chaos-swarm.yaml"));
        SimRun.Result first = run(swarm, 11, "s1");
        SimRun.Result second = run(swarm, 11, "s2");
        SimRun.Result other = run(swarm, 12, "s3");
        assertThat(historyDigest(first.outDir())).isEqualTo(historyDigest(second.outDir()));
        assertThat(Files.readAllBytes(first.outDir().resolve("summary.json")))
                .isEqualTo(Files.readAllBytes(second.outDir().resolve("summary.json")));
        assertThat(historyDigest(first.outDir())).isNotEqualTo(historyDigest(other.outDir()));
        JsonNode a = new ObjectMapper().readTree(first.outDir().resolve("summary.json").toFile());
        JsonNode b = new ObjectMapper().readTree(other.outDir().resolve("summary.json").toFile());
        assertThat(a.path("faults").path("swarm_drawn")).isNotEqualTo(b.path("faults").path("swarm_drawn"));
        assertThat(a.path("faults").path("injected").asLong()).isPositive();
    }

    @Test
    void shouldShowConnectionsAndConnectAttemptsOverTime() throws Exception {
        Scenario scenario = ScenarioLoader.parse("short.yaml", "short", SHORT);
        SimRun.Result result = run(scenario, 3, "t");
        JsonNode overTime = new ObjectMapper().readTree(result.outDir().resolve("summary.json").toFile()).path("over_time");
        assertThat(overTime.path("bucket").asText()).isEqualTo("100ms");
        assertThat(overTime.path("connects")).hasSize(40);
        long firstSecond = 0;
        for (int b = 0; b < 10; b++) {
            firstSecond += overTime.path("connects").get(b).asLong();
        }
        assertThat(firstSecond).isEqualTo(16);   // every device logs in within the first second
        assertThat(overTime.path("connect_attempts")).hasSize(40);
        assertThat(overTime.path("online_at_bucket_end").get(39).asLong()).isEqualTo(16);
    }

    @Test
    void shouldPrintTheSeedFirst() throws Exception {
        Scenario scenario = ScenarioLoader.parse("short.yaml", "short", SHORT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimRun.run(scenario, 99, dir.resolve("printed"), new PrintStream(bytes, true, StandardCharsets.UTF_8), QUIET);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("seed=99\n");
    }

    @Test
    void shouldTakeTheSeedFromTheCommandLineThenTheFileThenOne() throws Exception {
        Scenario withSeed = ScenarioLoader.parse("s.yaml", "s", "seed: 5\n");
        Scenario without = ScenarioLoader.parse("s.yaml", "s", "duration: 3s\n");
        assertThat(SimRun.seedFor(11L, withSeed)).isEqualTo(11);
        assertThat(SimRun.seedFor(null, withSeed)).isEqualTo(5);
        assertThat(SimRun.seedFor(null, without)).isEqualTo(1);
        assertThat(SimRun.defaultOut(without, 1)).isEqualTo(Path.of("runs", "s-1"));
    }

    @Test
    void shouldPassTheSmokeScenarioWithAcksAndInjectedFaults() throws Exception {
        Scenario smoke = ScenarioLoader.load(Path.of("library/smoke.yaml"));
        SimRun.Result result = run(smoke, SimRun.seedFor(null, smoke), "smoke");
        assertThat(result.verdict().violated()).isEmpty();
        assertThat(result.exitCode()).isZero();

        JsonNode summary = new ObjectMapper().readTree(result.outDir().resolve("summary.json").toFile());
        assertThat(summary.path("seed").asLong()).isEqualTo(1);
        assertThat(summary.path("counts").path("acks").asLong()).isPositive();
        assertThat(summary.path("counts").path("delivers").asLong()).isPositive();
        assertThat(summary.path("faults").path("injected").asLong()).isEqualTo(2);
        assertThat(summary.path("faults").path("by_kind").path("kill").path("injected").asLong()).isEqualTo(1);
        assertThat(summary.path("faults").path("by_kind").path("restart").path("injected").asLong()).isEqualTo(1);
        assertThat(summary.path("faults").path("primitives").path("crash").asLong()).isEqualTo(1);
        assertThat(summary.path("level").asText()).isEqualTo("full");
        assertThat(summary.path("world_counters").path("store.writes").asLong()).isPositive();
        assertThat(summary.path("latency_us").path("send_to_ack").path("p50_us").asLong()).isPositive();
        assertThat(summary.path("latency_us").path("send_to_ack").path("p99_us").asLong())
                .isGreaterThanOrEqualTo(summary.path("latency_us").path("send_to_ack").path("p50_us").asLong());
        assertThat(summary.path("verdict").path("valid").asBoolean()).isTrue();
        assertThat(summary.path("settings").path("topology").path("sequencing").asText()).isEqualTo("owner-counter");
        assertThat(Files.readString(result.outDir().resolve("verdict.xml"))).contains("<testsuite").contains("failures=\"0\"");
        assertThat(new ObjectMapper().readTree(result.outDir().resolve("verdict.json").toFile()).path("valid").asBoolean()).isTrue();
    }

    @Test
    void shouldReportOrderViolationsForSkewedSnowflakeIdsAfterFailover() throws Exception {
        Scenario skew = ScenarioLoader.load(Path.of("library/snowflake-skew.yaml"));
        SimRun.Result result = run(skew, SimRun.seedFor(null, skew), "skew");
        // sender-fifo is the mark of the skew itself: a message acked by the old owner outranks a later one from the new owner.
        assertThat(result.verdict().violated()).contains("per-device-order", "sender-fifo");
        assertThat(result.exitCode()).isEqualTo(1);
    }
}
