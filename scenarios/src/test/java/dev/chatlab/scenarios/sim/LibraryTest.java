package dev.chatlab.scenarios.sim;

import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.InvariantStatus;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of the library says what it asks in a comment header, runs, exits as its header says,
 * and judges something: acks, injected faults, and every invariant whose events the run produced
 * judged on more than zero things; {@code no-lost-ack} always (history format v1.1, a pass must
 * have judged something). The files are found by glob, so a new file is covered, or fails here
 * until it is given its expected exit.
 */
class LibraryTest {

    private static final Path LIBRARY = Path.of("library");

    /** The exit each full-level file's header promises; every other full-level file must exit 0. */
    private static final Map<String, Integer> EXIT_NOT_ZERO = Map.of("snowflake-skew", 1, "no-fencing-split-brain", 1);

    /** Files that this test does not run at the full level, and why. */
    private static final Map<String, String> NOT_RUN_HERE = Map.of(
            "whatsapp-1m", "coarse level: no history to judge (CoarseRunTest runs it)",
            "whatsapp-100m", "coarse level, and 10 virtual minutes of 100M users take minutes (CoarseRunTest runs 40 s of it)",
            "fleet-25k", "a real-engine scale test of 25,000 sockets (loaded and validated by ScenarioLoaderTest)",
            "store-shootout", "a real-engine comparison of stores, without faults (CompareStoresTest runs its like)");

    @TempDir
    Path dir;

    static Stream<String> libraryFiles() throws IOException {
        try (Stream<Path> files = Files.list(LIBRARY)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
        }
    }

    @Test
    void shouldFindTheWholeLibrary() throws IOException {
        assertThat(libraryFiles().toList()).hasSizeGreaterThanOrEqualTo(18).contains("smoke", "chaos-swarm", "whatsapp-1m");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraryFiles")
    void shouldRunWithTheExitItsHeaderPromisesAndJudgeSomething(String name) throws Exception {
        Path file = LIBRARY.resolve(name + ".yaml");
        assertThat(Files.readAllLines(file).get(0)).startsWith("# ");
        Scenario scenario = ScenarioLoader.load(file);
        assertThat(scenario.name()).isEqualTo(name);
        if (NOT_RUN_HERE.containsKey(name)) {
            return;
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SimRun.Result result = SimRun.run(scenario, SimRun.seedFor(null, scenario), dir.resolve(name), quiet, quiet);
        assertThat(result.exitCode()).as("exit of %s, violated %s, SLOs not met %s", name, result.verdict().violated(),
                        result.slos().stream().filter(r -> !r.met()).map(r -> r.slo().text() + ": " + r.message()).toList())
                .isEqualTo(EXIT_NOT_ZERO.getOrDefault(name, 0));
        assertThat(result.acks()).isPositive();
        assertThat(result.faultsInjected()).isPositive();
        assertThat(count(result, "delivers")).isPositive();
        InvariantResult lossRule = result.verdict().invariant("no-lost-ack");
        assertThat(lossRule.status()).as("%s: no-lost-ack (%s)", name, lossRule.reason()).isNotEqualTo(InvariantStatus.NOT_APPLICABLE);
        assertThat(lossRule.judged()).isPositive();
        // Every run says when it converged (issue 18), and how overloaded it was.
        JsonNode summary = new ObjectMapper().readTree(dir.resolve(name).resolve("summary.json").toFile());
        if (result.exitCode() == 0) {
            assertThat(summary.path("convergence").path("converged").asBoolean()).as(name).isTrue();
            assertThat(summary.path("convergence").path("time_to_converge_us").asLong()).as(name).isNotNegative();
        }
        assertThat(summary.path("convergence").path("line").asText()).as(name).isNotEmpty();
        assertThat(summary.path("overload").path("line").asText()).as(name).isNotEmpty();
        for (InvariantResult invariant : result.verdict().invariants()) {
            if (invariant.status() != InvariantStatus.NOT_APPLICABLE) {
                assertThat(invariant.judged()).as("%s: %s judged", name, invariant.name()).isPositive();
                continue;
            }
            // Only an invariant whose events the run did not produce may judge nothing.
            String kind = switch (invariant.name()) {
                case "read-after-deliver" -> "reads";
                case "receipt-monotone", "receipt-truthful" -> "receipts";
                default -> "none";
            };
            assertThat(kind).as("%s: %s judged nothing (%s)", name, invariant.name(), invariant.reason()).isNotEqualTo("none");
            assertThat(count(result, kind)).as("%s: %s judged nothing although the run has %s", name, invariant.name(), kind)
                    .isZero();
        }
    }

    private static long count(SimRun.Result result, String key) {
        return ((Number) result.counts().get(key)).longValue();
    }

    @Test
    void shouldNameOnlyFilesThatExist() throws IOException {
        List<String> files = libraryFiles().toList();
        assertThat(files).containsAll(EXIT_NOT_ZERO.keySet()).containsAll(NOT_RUN_HERE.keySet());
    }
}
