package dev.chatlab.scenarios.real;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryReader;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chats pinned to home nodes on a real cluster: three node processes, each with its own RocksDB,
 * and a kill -9 of n2. While n2 is down its chats refuse sends (recorded as {@code fail}); once it
 * has restarted it serves them again from its own disk; no invariant breaks.
 */
class PinnedRealRunTest {

    @TempDir
    Path dir;

    @Test
    void shouldFailSendsToTheKilledHomesChatsAndServeThemAgainFromItsRocksDbAfterItsRestart() throws Exception {
        Path file = dir.resolve("pinned-kill-real.yaml");
        Files.writeString(file, String.join("\n",
                "name: pinned-kill-real",
                "seed: 5",
                "duration: 44s",
                "quiesce_at: 40s",
                "topology: {nodes: 3, ownership: pinned}",
                "population: {users: 12, devices_per_user: 2, chats: 9, group_size: 3}",
                "workload: {messages_per_second: 6, read_probability: 0.2, typing_probability: 0.0}",
                "faults:",
                "  - {at: 3s, kill: n2, for: 3s}",
                ""));
        Scenario scenario = ScenarioLoader.load(file);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        RealRun.Result result = RealRun.run(scenario, 5, dir.resolve("run"), RealRun.Options.defaults(), out, System.out);
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.print(printed);

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
        assertThat(acksOnN2AfterAFail).as("messages n2 stored once it was back").isPositive();
    }
}
