package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's devices and logins behave as a real run's fleet does, so a comparison of the two
 * worlds compares the cluster, not the load generators: a device refused by a dead node tries
 * another at once instead of retrying the dead one until membership notices, and with
 * {@code client.login_spread: paced} the logins are paced and the scenario's clock starts after
 * them. The herd calibration scenario at a tenth of its size: 400 devices on 2 nodes.
 */
class RealLikeHerdTest {

    private static final Path FILE = Path.of("calibration", "server-kill-herd.yaml");
    private static final List<String> SMALL = List.of("population.users=400", "population.chats=200");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldTryTheOtherNodeOnceTheKilledNodeRefusedADevice() throws Exception {
        JsonNode summary = run(ScenarioLoader.load(FILE, SMALL), "herd");
        long reconnects = summary.path("reconnect_us").path("count").asLong();
        assertThat(reconnects).as("devices of the killed node that came back").isGreaterThan(150);
        // One refusal a device at most (the dead node, once); retrying it every 10 ms until membership
        // noticed (500 ms) made about fifty.
        assertThat(summary.path("world_counters").path("device.connect-refused").asLong())
                .as("%s", summary.path("world_counters")).isLessThanOrEqualTo(reconnects);
        assertThat(summary.path("valid").asBoolean()).as("%s", summary.path("verdict")).isTrue();
    }

    @Test
    void shouldStartTheScenarioClockAfterThePacedLogins() throws Exception {
        List<String> overrides = new java.util.ArrayList<>(SMALL);
        overrides.add("client.login_spread=paced");
        Scenario paced = ScenarioLoader.load(FILE, overrides);
        assertThat(paced.client().pacedLogins()).isTrue();
        run(paced, "paced");
        // 400 devices: a real run logs them in over 2 s (400 a second, 2 s at least) and starts the
        // workload's clock 1 s after, at 3 s; the kill at 15 s of that clock is at 18 s.
        long lastLogin = 0;
        long firstSend = Long.MAX_VALUE;
        long firstDisconnect = Long.MAX_VALUE;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(dir.resolve("paced").resolve("history.jsonl.gz"))), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode e = JSON.readTree(line);
                long t = e.path("t").asLong();
                switch (e.path("type").asText()) {
                    case "connect" -> lastLogin = firstDisconnect == Long.MAX_VALUE ? Math.max(lastLogin, t) : lastLogin;
                    case "send" -> firstSend = Math.min(firstSend, t);
                    case "disconnect" -> firstDisconnect = Math.min(firstDisconnect, t);
                    default -> { }
                }
            }
        }
        assertThat(lastLogin).isBetween(1_500_000L, 2_100_000L);
        assertThat(firstSend).isGreaterThanOrEqualTo(3_000_000L);
        assertThat(firstDisconnect).isBetween(18_000_000L, 18_010_000L);
        JsonNode summary = JSON.readTree(dir.resolve("paced").resolve("summary.json").toFile());
        assertThat(summary.path("settings").path("client").path("login_spread").asText()).isEqualTo("paced");
        // Its series count whole seconds, as a real run's reconnect curve does, so that their peaks compare.
        assertThat(summary.path("over_time").path("bucket").asText()).isEqualTo("1s");
        assertThat(summary.path("valid").asBoolean()).as("%s", summary.path("verdict")).isTrue();
    }

    private JsonNode run(Scenario scenario, String name) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SimRun.run(scenario, 1, dir.resolve(name), quiet, quiet);
        return JSON.readTree(dir.resolve(name).resolve("summary.json").toFile());
    }
}
