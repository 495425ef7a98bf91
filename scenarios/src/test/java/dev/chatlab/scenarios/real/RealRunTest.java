package dev.chatlab.scenarios.real;

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
 * The library's server-kill-herd scenario on the real engine, scaled down to 40 devices: three
 * node processes, PostgreSQL, a kill -9 of a node mid-run. The verdict must be valid, every
 * planned fault counted as injected, and messages acknowledged and delivered.
 */
class RealRunTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunServerKillHerdOnRealProcessesWithAValidVerdict() throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library/server-kill-herd.yaml"));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        RealRun.Result result = RealRun.run(scenario, 1, dir, RealRun.Options.defaults().withDevicesMax(40), out, System.out);
        String printed = text.toString(StandardCharsets.UTF_8);
        System.out.print(printed);

        assertThat(printed).startsWith("seed=1\n").contains("engine=real", "scale=");
        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).containsEntry("node-kill", 1L);
        long injected = result.faults().values().stream().mapToLong(Long::longValue).sum();
        assertThat(injected).isEqualTo(scenario.chaos().scheduled());
        assertThat((long) result.counts().get("acks")).isPositive();
        assertThat((long) result.counts().get("delivers")).isPositive();
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"engine\" : \"real\"", "reconnect_curve");
        assertThat(dir.resolve("history.jsonl.gz")).exists();
        assertThat(dir.resolve("verdict.xml")).exists();
        assertThat(dir.resolve("cluster/logs/n2.log")).exists();
    }
}
