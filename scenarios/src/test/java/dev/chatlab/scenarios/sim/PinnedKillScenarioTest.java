package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.history.io.HistoryReader;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code library/pinned-kill.yaml}: chats pinned to home nodes with node-local stores, n2 killed
 * from 2 s to 6 s. Its chats are unavailable meanwhile (sends to them fail), nothing breaks an
 * invariant, and n2 serves its chats again from its own disk once it is back.
 */
class PinnedKillScenarioTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    private static final long KILLED_AT = 2_000_000;
    private static final long RESTARTED_AT = 6_000_000;

    @TempDir
    Path dir;

    @Test
    void shouldFailSendsToTheDeadHomesChatsOnlyWhileItIsDownAndHoldEveryInvariant() throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library/pinned-kill.yaml"));
        assertThat(scenario.topology().pinned()).isTrue();
        SimRun.Result result = SimRun.run(scenario, 1, dir.resolve("pinned"), QUIET, QUIET);

        assertThat(result.exitCode()).isZero();
        assertThat(result.verdict().valid()).isTrue();
        JsonNode summary = new ObjectMapper().readTree(dir.resolve("pinned/summary.json").toFile());
        assertThat(summary.path("faults").path("by_kind").path("kill").path("injected").asLong()).isEqualTo(1);
        assertThat(summary.path("settings").path("topology").path("ownership").asText()).isEqualTo("pinned");
        JsonNode counts = summary.path("counts");
        assertThat(counts.path("acks").asLong()).isPositive();
        assertThat(counts.path("fails").asLong()).isPositive();
        assertThat(counts.has("indeterminate")).isTrue();
        assertThat(counts.path("acks").asLong() + counts.path("fails").asLong() + counts.path("indeterminate").asLong())
                .isEqualTo(counts.path("messages").asLong());

        Ownership.PinnedHome homes = (Ownership.PinnedHome) scenario.topology().ownership();
        List<HistoryEvent.Fail> fails = new ArrayList<>();
        long ackedOnN2AfterRestart = 0;
        try (HistoryReader reader = HistoryReader.open(dir.resolve("pinned/history.jsonl.gz"))) {
            for (HistoryEvent e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof HistoryEvent.Fail f) {
                    fails.add(f);
                } else if (e instanceof HistoryEvent.Ack a && a.t() > RESTARTED_AT && homes.homeOf(a.chat()).equals("n2")) {
                    ackedOnN2AfterRestart++;
                }
            }
        }
        // Every failure is a send to one of n2's chats, refused while n2 was down.
        assertThat(fails).isNotEmpty().allSatisfy(f -> {
            assertThat(homes.homeOf(f.chat())).isEqualTo("n2");
            assertThat(f.t()).isBetween(KILLED_AT, RESTARTED_AT + 1_000_000);
        });
        // Back from its own disk, n2 takes its chats' messages again.
        assertThat(ackedOnN2AfterRestart).isPositive();
    }

    @Test
    void shouldFailNothingWhenOwnershipFollowsMembershipOverTheSharedStore() throws Exception {
        String pinned = Files.readString(Path.of("library/pinned-kill.yaml"));
        String following = pinned.replace("ownership: pinned", "ownership: follow-membership");
        assertThat(following).isNotEqualTo(pinned);
        Scenario scenario = ScenarioLoader.parse("follow.yaml", "pinned-kill-follow", following);
        SimRun.Result result = SimRun.run(scenario, 1, dir.resolve("follow"), QUIET, QUIET);

        assertThat(result.exitCode()).isZero();
        assertThat(((Number) result.counts().get("fails")).longValue()).isZero();
        assertThat(result.faultsInjected()).isEqualTo(1);
    }
}
