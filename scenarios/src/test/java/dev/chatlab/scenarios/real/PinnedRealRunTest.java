package dev.chatlab.scenarios.real;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.history.io.HistoryReader;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chats pinned to home nodes on a real cluster: three node processes, each with its own RocksDB,
 * and a kill -9 of n2. While n2 is down its chats refuse sends (recorded as {@code fail}); once it
 * has restarted it serves them again from its own disk; no invariant breaks.
 */
class PinnedRealRunTest {

    private static final int KILL_AT_SECONDS = 10;
    private static final int DOWN_SECONDS = 2;
    /**
     * A restart is a JVM start and a Hazelcast join: 5-15 s on a quiet machine, 45 s seen under a
     * load average of 47. The quiesce leaves room for the slowest seen and then some, so that
     * service can be seen resuming on a busy machine too.
     */
    private static final int QUIESCE_AT_SECONDS = 75;
    /** Time to send to n2's chats once it is back: the workload stops at the quiesce. */
    private static final int SENDING_AFTER_RESTART_SECONDS = 5;

    @TempDir
    Path dir;

    @Test
    void shouldFailSendsToTheKilledHomesChatsAndServeThemAgainFromItsRocksDbAfterItsRestart() throws Exception {
        Path file = dir.resolve("pinned-kill-real.yaml");
        Files.writeString(file, String.join("\n",
                "name: pinned-kill-real",
                "seed: 5",
                "duration: " + (QUIESCE_AT_SECONDS + 3) + "s",
                "quiesce_at: " + QUIESCE_AT_SECONDS + "s",
                "topology: {nodes: 3, ownership: pinned}",
                "population: {users: 12, devices_per_user: 2, chats: 9, group_size: 3}",
                "workload: {messages_per_second: 6, read_probability: 0.2, typing_probability: 0.0}",
                "faults:",
                "  - {at: " + KILL_AT_SECONDS + "s, kill: n2, for: " + DOWN_SECONDS + "s}",
                ""));
        Scenario scenario = ScenarioLoader.load(file);
        PrintedRun captured = PrintedRun.of(scenario, 5, dir.resolve("run"), RealRun.Options.defaults());
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).containsEntry("node-kill", 1L).containsEntry("node-restart", 1L);
        assertThat((long) result.counts().get("fails")).as("sends refused while n2 was down").isPositive();
        assertThat(result.counts()).containsKey("indeterminate");
        assertThat(dir.resolve("run/cluster/n2-rocksdb")).isDirectory();
        assertThat(Files.readString(dir.resolve("run/summary.json"))).contains("\"ownership\" : \"pinned\"");

        Ownership.PinnedHome homes = (Ownership.PinnedHome) scenario.topology().ownership();
        boolean failedOnN2 = false;
        long acksOnN2AfterAFail = 0;
        try (HistoryReader reader = HistoryReader.open(dir.resolve("run/history.jsonl.gz"))) {
            for (HistoryEvent e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof HistoryEvent.Fail f) {
                    assertThat(homes.homeOf(f.chat())).as("home of %s, whose send failed", f.chat()).isEqualTo("n2");
                    failedOnN2 = true;
                } else if (e instanceof HistoryEvent.Ack a && failedOnN2 && homes.homeOf(a.chat()).equals("n2")) {
                    // n2 was down at the first fail: an ack of one of its chats after that came from n2 restarted.
                    acksOnN2AfterAFail++;
                }
            }
        }
        JsonNode restart = new ObjectMapper().readTree(dir.resolve("run/summary.json").toFile())
                .path("faults").path("log").get(1);
        assertThat(restart.path("kind").asText()).isEqualTo("node-restart");
        double backAtSeconds = KILL_AT_SECONDS + DOWN_SECONDS + restart.path("took_us").asLong() / 1e6;
        assertThat(backAtSeconds).as("n2 back (s) before the quiesce, with time left to send (a restart slower than"
                + " any seen)").isLessThan(QUIESCE_AT_SECONDS - SENDING_AFTER_RESTART_SECONDS);
        assertThat(acksOnN2AfterAFail).as("messages n2 stored once it was back at %.1f s", backAtSeconds).isPositive();
    }
}
