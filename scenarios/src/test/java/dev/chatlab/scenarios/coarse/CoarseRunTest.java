package dev.chatlab.scenarios.coarse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.checker.InvariantStatus;
import dev.chatlab.checker.invariant.Invariants;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoarseRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WHATSAPP_1M = Path.of("library", "whatsapp-1m.yaml");

    /** One kill that lasts 10 s: one planned fault, and its restart. */
    private static final String TIMED_KILL = """
            name: timed-kill
            level: coarse
            duration: 40s
            quiesce_at: 35s
            topology: {nodes: 4}
            population: {users: 6000, devices_per_user: 1, chats: 1000, group_size: 8}
            workload: {messages_per_second: 50}
            faults:
              - {at: 10s, kill: n2, for: 10s}
            coarse: {connections_per_server: 4000}
            """;

    /** 60,000 users on 4 servers of 16,000 connections, 60 s, a kill of n2 at 20 s that lasts 10 s. */
    static Scenario builtInCode(List<Scenario.Fault> faults) {
        return new Scenario("coarse-small", 5L, 60_000_000, 55_000_000,
                new Scenario.Topology(4, Sequencing.values()[0], FanOut.hybrid(256), Routing.values()[0], true, 30_000_000),
                new Scenario.Population(60_000, 1, 10_000, 8),
                new Scenario.Workload(500, 0.3, 0),
                new Scenario.Client(new ReconnectPolicy.DecorrelatedBackoff(500_000, 20_000_000), 10_000_000),
                faults);
    }

    static CoarseSettings settings() {
        CoarseSettings d = CoarseSettings.defaults();
        return new CoarseSettings(16_000, d.serverThreads(), d.sendServiceMicros(), d.deliverServiceMicros(),
                d.connectServiceMicros(), d.serviceSigma(), d.storeConcurrency(), d.groupSizeMax(), d.groupZipfExponent(),
                d.diurnalAmplitude(), d.diurnalPeriodMicros(), d.pullIntervalMicros(), d.intervalMicros(), 1,
                d.sessionServiceMicros());
    }

    @Test
    void shouldRunAScenarioBuiltInCodeThroughTheEntryPoint(@TempDir Path out) throws Exception {
        Scenario scenario = builtInCode(List.of(new Scenario.Fault.Kill(20_000_000, "n2"),
                new Scenario.Fault.Restart(30_000_000, "n2"), new Scenario.Fault.Skew(1_000_000, "n1", 1_000)));
        CoarseRun.Result r = CoarseRun.run(scenario, settings(), 5, out, null);
        assertThat(r.exitCode()).isZero();
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(s.path("level").asText()).isEqualTo("coarse");
        assertThat(s.path("checker").asText()).isEqualTo("checker: not applicable at coarse level");
        assertThat(s.path("seed").asLong()).isEqualTo(5);
        assertThat(s.path("counts").path("reconnects").asLong()).isEqualTo(15_000);
        assertThat(s.path("counts").path("acks").asLong()).isGreaterThan(25_000);
        assertThat(s.path("latency_us").path("send_to_ack").path("p99_us").asLong()).isPositive();
        assertThat(s.path("faults").path("by_kind").path("kill").path("injected").asLong()).isEqualTo(1);
        assertThat(s.path("faults").path("by_kind").path("restart").path("injected").asLong()).isEqualTo(1);
        assertThat(s.path("faults").path("by_kind").path("clock-skew").path("skipped").asLong()).isEqualTo(1);
        assertThat(s.path("faults").path("planned").asLong()).isEqualTo(3);
        assertThat(s.path("faults").path("injected").asLong()).isEqualTo(2);
        assertThat(s.path("faults").path("skipped").asLong()).isEqualTo(1);
        assertThat(s.path("faults").path("not_modelled").path("clock-skew").asLong()).isEqualTo(1);
        assertThat(s.path("faults").path("timeline").get(0).path("at_us").asLong()).isEqualTo(20_000_000);
        assertThat(s.path("timeseries").path("open_connections").size()).isEqualTo(60);
        // While n2 is down the three survivors are full (3 x 16,000): the rest wait for its restart.
        assertThat(s.path("timeseries").path("open_connections").get(25).asLong()).isEqualTo(48_000);
        assertThat(s.path("counts").path("connects_refused").asLong()).isPositive();
        assertThat(s.path("counts").path("connected_at_end").asLong()).isEqualTo(60_000);
        assertThat(s.path("settings").path("coarse").path("connections_per_server").asInt()).isEqualTo(16_000);
        assertThat(out.resolve("history.jsonl.gz")).doesNotExist();
    }

    @Test
    void shouldCountATimedKillsRestartAsARecoveryNotAsASecondFault(@TempDir Path out) throws Exception {
        Scenario scenario = ScenarioLoader.parse("timed-kill.yaml", "timed-kill", TIMED_KILL);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        CoarseRun.run(scenario, 5, out, new PrintStream(console, true, StandardCharsets.UTF_8));
        JsonNode faults = JSON.readTree(out.resolve("summary.json").toFile()).path("faults");
        assertThat(faults.path("planned").asLong()).isEqualTo(1);
        assertThat(faults.path("injected").asLong()).isEqualTo(1);
        assertThat(faults.path("by_kind").has("restart")).isFalse();
        assertThat(faults.path("recoveries").path("restart").asLong()).isEqualTo(1);
        assertThat(faults.path("timeline").size()).isEqualTo(2);    // both marked on the charts
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(
                "faults: injected=1 of 1 planned {kill=1}; recoveries {restart=1} (timed faults ending by themselves");
    }

    @Test
    void shouldWriteAVerdictThatJudgedNothingForCi(@TempDir Path out) throws Exception {
        CoarseRun.run(builtInCode(List.of()), settings(), 5, out, null);
        JsonNode verdict = JSON.readTree(out.resolve("verdict.json").toFile());
        assertThat(verdict.path("invariants").size()).isEqualTo(Invariants.NAMES.size());
        for (String name : Invariants.NAMES) {
            assertThat(verdict.path("invariants").path(name).path("status").asText()).as(name)
                    .isEqualTo(InvariantStatus.NOT_APPLICABLE.wire());
            assertThat(verdict.path("invariants").path(name).toString()).as(name).contains("coarse level");
        }
        String xml = Files.readString(out.resolve("verdict.xml"));
        assertThat(xml).contains("tests=\"" + Invariants.NAMES.size() + "\"", "failures=\"0\"",
                "skipped=\"" + Invariants.NAMES.size() + "\"", "coarse level");
        assertThat(JSON.readTree(out.resolve("summary.json").toFile()).path("verdict")).isEqualTo(verdict);
    }

    @Test
    void shouldWriteIntervalLogsThatHistogramLogReaderReadsBack(@TempDir Path out) throws Exception {
        CoarseRun.run(builtInCode(List.of()), settings(), 5, out, null);
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        long acks = 0;
        int intervals = 0;
        try (org.HdrHistogram.HistogramLogReader reader = new org.HdrHistogram.HistogramLogReader(
                out.resolve("send-ack.hlog").toFile())) {
            for (org.HdrHistogram.EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                acks += ((org.HdrHistogram.Histogram) h).getTotalCount();
                intervals++;
            }
        }
        assertThat(intervals).isEqualTo(60);
        assertThat(acks).isEqualTo(s.path("latency_us").path("send_to_ack").path("count").asLong());
        assertThat(out.resolve("send-deliver.hlog")).isNotEmptyFile();
    }

    @Test
    void shouldWriteAByteIdenticalSummaryForTheSameSeedAndAnotherForAnother(@TempDir Path out) throws Exception {
        Scenario scenario = builtInCode(List.of(new Scenario.Fault.Kill(20_000_000, "n2")));
        CoarseRun.run(scenario, settings(), 9, out.resolve("a"), null);
        CoarseRun.run(scenario, settings(), 9, out.resolve("b"), null);
        CoarseRun.run(scenario, settings(), 10, out.resolve("c"), null);
        byte[] a = Files.readAllBytes(out.resolve("a/summary.json"));
        assertThat(Files.readAllBytes(out.resolve("b/summary.json"))).isEqualTo(a);
        assertThat(Files.readAllBytes(out.resolve("b/send-ack.hlog"))).isEqualTo(Files.readAllBytes(out.resolve("a/send-ack.hlog")));
        assertThat(Files.readAllBytes(out.resolve("c/summary.json"))).isNotEqualTo(a);
    }

    /**
     * The seed's scale, shortened so that CI stays fast: 40 virtual seconds instead of 10 minutes,
     * the kill at 5 s, and one message in 1,000 simulated instead of one in 20. The 100M devices,
     * the 1,010 servers and the herd of n3's 99,010 devices are the file's.
     */
    @Test
    void shouldRunWhatsapp100mShortenedWithEveryDeviceOfTheKilledServerBack(@TempDir Path out) throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library", "whatsapp-100m.yaml"), List.of("duration=40s",
                "quiesce_at=38s", "faults=[{at: 5s, kill: n3, for: 60s}]", "coarse.message_sample=1000"));
        CoarseRun.Result result = CoarseRun.run(scenario, 1, out, null);
        JsonNode counts = JSON.readTree(out.resolve("summary.json").toFile()).path("counts");
        assertThat(counts.path("disconnects").asLong()).isEqualTo(99_010);          // 100M over 1,010 servers
        assertThat(counts.path("reconnects").asLong()).isEqualTo(99_010);           // within 0.5 s + 30 s of jitter
        assertThat(counts.path("connected_at_end").asLong()).isEqualTo(100_000_000);
        // 694,444/s for 38 s, with the diurnal swing rising from the mean: each count is a multiple of 1,000.
        assertThat(counts.path("messages").asLong()).isBetween(26_000_000L, 30_000_000L);
        assertThat(counts.path("messages").asLong() % 1_000).isZero();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldRunWhatsapp1mFromTheLibraryWithAHerdAfterTheKill(@TempDir Path out) throws Exception {
        Scenario scenario = ScenarioLoader.load(WHATSAPP_1M);
        assertThat(scenario.level()).isEqualTo(Scenario.Level.COARSE);
        assertThat(scenario.population().users()).isEqualTo(1_000_000);
        assertThat(CoarseSettings.parse(scenario.coarse()).connectionsPerServer()).isEqualTo(100_000);
        CoarseRun.Result result = CoarseRun.run(scenario, 1, out, null);
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        // The file's SLOs, judged from this summary at the coarse level, hold.
        assertThat(result.exitCode()).as("%s", s.path("slo")).isZero();
        assertThat(s.path("slo").path("results")).hasSize(3);
        assertThat(s.path("slo").path("met").asBoolean()).isTrue();
        JsonNode counts = s.path("counts");
        assertThat(counts.path("reconnects").asLong()).isEqualTo(90_909);   // n3's share of 1M over 11 servers
        assertThat(counts.path("connected_at_end").asLong()).isEqualTo(1_000_000);
        assertThat(counts.path("acks").asLong()).isGreaterThan(1_000_000);
        assertThat(s.path("faults").path("planned").asLong()).isEqualTo(1);   // the kill, for 2m
        assertThat(s.path("faults").path("injected").asLong()).isEqualTo(1);
        assertThat(s.path("faults").path("recoveries").path("restart").asLong()).isEqualTo(1);  // its end
        JsonNode ts = s.path("timeseries");
        assertThat(ts.path("start_us").size()).isEqualTo(600);
        long peak = 0;
        for (JsonNode r : ts.path("reconnects")) {
            peak = Math.max(peak, r.asLong());
        }
        assertThat(peak).isGreaterThan(10_000);                                 // a herd, not a trickle
        // The herd queues behind the connect cost: acks in the seconds after the kill are slower.
        assertThat(ts.path("ack_p99_us").get(182).asLong()).isGreaterThan(3 * ts.path("ack_p99_us").get(100).asLong());
    }

    @Test
    void shouldNameAnUnknownKeyOfTheCoarseSection() {
        assertThatThrownBy(() -> ScenarioLoader.parse("x.yaml", "x", """
                duration: 10s
                level: coarse
                coarse:
                  server_thread: 8
                """)).isInstanceOf(ScenarioException.class).hasMessageContaining("unknown key 'server_thread'")
                .hasMessageContaining("server_threads");
        assertThatThrownBy(() -> ScenarioLoader.parse("x.yaml", "x", """
                duration: 10s
                level: coarse
                coarse:
                  send_service: fast
                """)).isInstanceOf(ScenarioException.class).hasMessageContaining("coarse.send_service");
    }

    @Test
    void shouldReadNoWallClockAndNoUnseededRandomnessInTheCoarsePackage() {
        DeterminismRules.assertDeterministic("dev.chatlab.scenarios.coarse");
    }
}
