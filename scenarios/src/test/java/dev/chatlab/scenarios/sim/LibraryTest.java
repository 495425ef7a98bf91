package dev.chatlab.scenarios.sim;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every file of the library says what it asks in a comment header, runs, and exits as its header says. */
class LibraryTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} exits {1}")
    @CsvSource({
            "smoke, 0", "snowflake-skew, 1", "no-fencing-split-brain, 1", "chaos-swarm, 0",
            "server-kill-herd, 0", "server-kill-herd-jitter, 0", "server-kill-herd-backoff, 0",
            "one-to-one, 0", "small-group, 0", "mega-group-pull, 0", "multi-device-sync, 0", "presence-last-seen, 0",
            "diurnal-zipf, 0", "pinned-kill, 0", "real-chaos-mix, 0", "real-partition, 0"})
    void shouldRunWithTheExitItsHeaderPromises(String name, int exit) throws Exception {
        Path file = Path.of("library", name + ".yaml");
        assertThat(Files.readAllLines(file).get(0)).startsWith("# ");
        Scenario scenario = ScenarioLoader.load(file);
        assertThat(scenario.name()).isEqualTo(name);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SimRun.Result result = SimRun.run(scenario, SimRun.seedFor(null, scenario), dir.resolve(name), quiet, quiet);
        assertThat(result.exitCode()).isEqualTo(exit);
        assertThat(result.acks()).isPositive();
        assertThat(result.faultsInjected()).isPositive();
    }
}
