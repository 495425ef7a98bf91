package dev.chatlab.scenarios.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.checker.Example;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run ends when the system has converged, not at a fixed time: an overloaded run whose backlog
 * outlasts its duration goes on until every live device has what it is owed, and passes; a real
 * loss still fails, after the convergence bound, with the message named.
 */
class ConvergenceTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /**
     * A store that serves a write in 5 ms (at most 200 a second) under 300 messages a second: by
     * the quiesce the disk has a queue of seconds, and the duration ends 200 ms after it.
     */
    private static final String OVERLOADED = """
            name: overloaded
            duration: 2200ms
            quiesce_at: 2s
            converge_within: 30s
            topology: {nodes: 3}
            population: {users: 20, devices_per_user: 2, chats: 10, group_size: 4}
            workload: {messages_per_second: 300, read_probability: 0.0, typing_probability: 0.0}
            store: {model: btree, write: 5ms, read: 1ms, sigma: 0}
            faults:
              - {at: 1s, kill: n2, for: 500ms}
            """;

    @TempDir
    Path dir;

    @Test
    void shouldWaitPastTheDurationForAnOverloadedRunToConvergeAndPass() throws Exception {
        Scenario scenario = ScenarioLoader.parse("overloaded.yaml", "overloaded", OVERLOADED);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SimRun.Result result = SimRun.run(scenario, 3, dir.resolve("o"), new PrintStream(console, true), QUIET);

        assertThat(result.verdict().violated()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.verdict().invariant("no-lost-ack").judged()).isPositive();
        // Every send was answered: the run waited for the devices' outboxes too, not only for deliveries.
        assertThat(((Number) result.counts().get("indeterminate")).longValue()).isZero();
        JsonNode convergence = new ObjectMapper().readTree(dir.resolve("o/summary.json").toFile()).path("convergence");
        assertThat(convergence.path("converged").asBoolean()).isTrue();
        // The backlog outlasted the 200 ms between the quiesce and the duration: a fixed end would have called it lost.
        assertThat(convergence.path("time_to_converge_us").asLong()).isGreaterThan(200_000);
        assertThat(convergence.path("ended_at_us").asLong()).isGreaterThan(scenario.durationMicros());
        assertThat(convergence.path("peak_owed_deliveries").asLong()).isPositive();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("convergence: converged ");
    }

    @Test
    void shouldEndAtTheDurationWhenARunHasAlreadyConverged() throws Exception {
        Scenario smoke = ScenarioLoader.load(Path.of("library/smoke.yaml"));
        SimRun.Result result = SimRun.run(smoke, 11, dir.resolve("s"), QUIET, QUIET);
        JsonNode convergence = new ObjectMapper().readTree(dir.resolve("s/summary.json").toFile()).path("convergence");
        assertThat(convergence.path("converged").asBoolean()).isTrue();
        assertThat(convergence.path("ended_at_us").asLong()).isEqualTo(smoke.durationMicros());
        assertThat(convergence.path("time_to_converge_us").asLong()).isBetween(0L, smoke.durationMicros() - smoke.quiesceAtMicros());
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void shouldStillFailNamingTheMessageWhenADeviceReallyNeverGetsIt() throws Exception {
        Scenario smoke = ScenarioLoader.parse("smoke-bounded.yaml", "smoke-bounded",
                Files.readString(Path.of("library/smoke.yaml")).replace("read_probability: 0.3", "read_probability: 0.0")
                        + "\nconverge_within: 5s\n");
        // The planted loss: u7/d1 shows the first message of chat c8 and none after it (a client that
        // stops displaying a chat). No later delivery there, so no hole: only the loss rule can see it.
        HistoryEvent.Deliver[] kept = new HistoryEvent.Deliver[1];
        HistoryEvent.Deliver[] dropped = new HistoryEvent.Deliver[1];
        SimRun.Result result = SimRun.run(smoke, 11, dir.resolve("lost"), QUIET, QUIET, sink -> event -> {
            if (event instanceof HistoryEvent.Deliver d && d.user().equals("u7") && d.device().equals("d1") && d.chat().equals("c8")) {
                if (kept[0] != null) {
                    if (dropped[0] == null) {
                        dropped[0] = d;
                    }
                    return;
                }
                kept[0] = d;
            }
            sink.accept(event);
        });

        assertThat(dropped[0]).isNotNull();
        // The device itself did get the messages (only their record is dropped) and reports them
        // delivered, so a receipt of that may also read as untruthful; the loss rule must name them.
        assertThat(result.verdict().violated()).contains("no-lost-ack").isSubsetOf("no-lost-ack", "receipt-truthful");
        assertThat(result.exitCode()).isEqualTo(1);
        Example example = result.verdict().invariant("no-lost-ack").examples().get(0);
        assertThat(example.message().chat()).isEqualTo("c8");
        assertThat(example.message().seq()).isEqualTo(dropped[0].seq());
        assertThat(example.missingOn()).containsExactly("u7/d1");
        JsonNode convergence = new ObjectMapper().readTree(dir.resolve("lost/summary.json").toFile()).path("convergence");
        assertThat(convergence.path("converged").asBoolean()).isFalse();
        assertThat(convergence.path("ended_at_us").asLong()).isEqualTo(smoke.quiesceAtMicros() + 5_000_000);
        assertThat(convergence.path("line").asText()).startsWith("did not converge within 5s of the quiesce: ")
                .contains(" owed to 1 device ");
    }
}
