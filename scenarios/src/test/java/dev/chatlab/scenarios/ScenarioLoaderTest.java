package dev.chatlab.scenarios;

import dev.chatlab.chaos.Fault;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.core.strategy.Routing;
import dev.chatlab.core.strategy.Sequencing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ScenarioLoaderTest {

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioLoader.parse("test.yaml", "test", text);
    }

    private static ScenarioException failure(String text) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> parse(text));
        assertThat(e).as("expected %s to be refused", text).isNotNull();
        return e;
    }

    @Test
    void shouldFillEveryDefaultForAMinimalFile() throws ScenarioException {
        Scenario s = parse("duration: 20s\n");
        assertThat(s.name()).isEqualTo("test");
        assertThat(s.seed()).isNull();
        assertThat(s.durationMicros()).isEqualTo(20_000_000);
        assertThat(s.quiesceAtMicros()).isEqualTo(15_000_000);
        assertThat(s.topology()).isEqualTo(new Scenario.Topology(3, Sequencing.OWNER_COUNTER, FanOut.hybrid(256), Routing.DIRECT));
        assertThat(s.population()).isEqualTo(new Scenario.Population(20, 2, 10, 3));
        assertThat(s.client().reconnect()).isInstanceOf(ReconnectPolicy.DecorrelatedBackoff.class);
        assertThat(s.faults()).isEmpty();
    }

    @Test
    void shouldReadStrategiesAndFaults() throws ScenarioException {
        Scenario s = parse("""
                name: sf
                seed: 42
                duration: 10s
                quiesce_at: 7.5s
                topology: {nodes: 4, sequencing: snowflake, fanout: pull, routing: pubsub}
                client: {reconnect: jitter, jitter_window: 250ms}
                faults:
                  - {at: 0s, skew: n4, by: -5s}
                  - {at: 2s, kill: n1}
                  - {at: 3500ms, restart: n1}
                """);
        assertThat(s.seed()).isEqualTo(42L);
        assertThat(s.quiesceAtMicros()).isEqualTo(7_500_000);
        assertThat(s.topology()).isEqualTo(new Scenario.Topology(4, Sequencing.SNOWFLAKE, FanOut.pull(), Routing.PUBSUB));
        assertThat(s.client().reconnect()).isEqualTo(new ReconnectPolicy.UniformJitter(250_000));
        assertThat(s.faults()).containsExactly(
                new Scenario.Fault.Skew(0, "n4", -5_000_000),
                new Scenario.Fault.Kill(2_000_000, "n1"),
                new Scenario.Fault.Restart(3_500_000, "n1"));
    }

    @Test
    void shouldNameTheScenarioAfterItsFile() throws ScenarioException {
        assertThat(ScenarioLoader.load(Path.of("library/smoke.yaml")).name()).isEqualTo("smoke");
    }

    @Test
    void shouldRejectAnUnknownKeyNamingItsLineColumnAndTheKnownKeys() {
        ScenarioException e = failure("name: x\ntopology:\n  nodes: 3\n  nodez: 4\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("test.yaml:4:3: unknown key 'nodez' in topology; "
                + "expected one of: fanout, fencing, hybrid_threshold, nodes, ownership, presence_ttl, routing, sequencing");
    }

    @Test
    void shouldReadPinnedOwnershipAsHomesOverEveryNode() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("test.yaml", "x", "topology:\n  nodes: 4\n  ownership: pinned\n");
        assertThat(s.topology().pinned()).isTrue();
        assertThat(s.topology().ownership()).isEqualTo(Ownership.pinnedHome(List.of("n1", "n2", "n3", "n4")));
        assertThat(s.settings()).extracting("topology").extracting("ownership").isEqualTo("pinned");
        assertThat(ScenarioLoader.parse("test.yaml", "x", "topology: {nodes: 2}\n").topology().ownership())
                .isEqualTo(Ownership.followMembership());
    }

    @Test
    void shouldRejectAnUnknownOwnershipAndPinnedHomesAtTheCoarseLevel() {
        assertThat(failure("topology:\n  ownership: sticky\n").getMessage())
                .isEqualTo("test.yaml:2:14: topology.ownership: expected one of follow-membership, pinned, got 'sticky'");
        assertThat(failure("level: coarse\ntopology:\n  ownership: pinned\n").getMessage())
                .isEqualTo("test.yaml:3:14: topology.ownership: pinned homes are modelled at level full only");
    }

    @Test
    void shouldRejectAnUnknownTopLevelKeyListingTheSections() {
        ScenarioException e = failure("duration: 5s\nfault:\n  - {at: 1s, kill: n1}\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("unknown key 'fault'").contains("faults, level, name, network, population");
    }

    @Test
    void shouldRejectMalformedYamlNamingLineAndColumn() {
        ScenarioException e = failure("name: \"abc\nduration: 5s\n");
        assertThat(e.line()).isPositive();
        assertThat(e.column()).isPositive();
        assertThat(e.getMessage()).startsWith("test.yaml:" + e.line() + ":" + e.column() + ": not valid YAML");
    }

    @Test
    void shouldPointAtWhereAnUnclosedQuoteStarts() {
        ScenarioException e = failure("name: \"abc\nduration: 5s\n");
        assertThat(e.getMessage()).contains("quoted scalar that starts at line 1, column 7");
    }

    @Test
    void shouldRejectBadIndentationAsMalformedYaml() {
        ScenarioException e = failure("topology:\n  nodes: 3\n routing: direct\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("not valid YAML");
    }

    @Test
    void shouldRejectAWrongTypeAtTheValue() {
        ScenarioException e = failure("duration: 10s\ntopology:\n  nodes: three\n");
        assertThat(e.getMessage()).isEqualTo("test.yaml:3:10: topology.nodes: expected an integer, got 'three'");
    }

    @Test
    void shouldRejectAFractionWhereAnIntegerIsExpected() {
        assertThat(failure("population:\n  users: 2.5\n").getMessage())
                .isEqualTo("test.yaml:2:10: population.users: expected an integer, got '2.5'");
    }

    @Test
    void shouldRejectADurationWithoutAUnit() {
        assertThat(failure("duration: 10\n").getMessage())
                .startsWith("test.yaml:1:11: duration: expected a duration such as 500ms");
    }

    @Test
    void shouldReadPacedLoginsAndSayWhatElseLoginSpreadTakes() throws ScenarioException {
        Scenario paced = ScenarioLoader.parse("test.yaml", "t", "client:\n  login_spread: paced\n");
        assertThat(paced.client().pacedLogins()).isTrue();
        assertThat(paced.client().loginSpreadMicros()).isEqualTo(Scenario.Client.LOGIN_PACED);
        assertThat(ScenarioLoader.parse("test.yaml", "t", "client:\n  login_spread: 2s\n").client().pacedLogins()).isFalse();
        assertThat(failure("client:\n  login_spread: fast\n").getMessage()).isEqualTo(
                "test.yaml:2:17: client.login_spread: expected paced (as a real run) or a duration such as 2s, got 'fast'");
    }

    @Test
    void shouldRejectAnUnknownStrategyListingTheKnownOnes() {
        assertThat(failure("topology:\n  sequencing: lamport\n").getMessage()).isEqualTo(
                "test.yaml:2:15: topology.sequencing: expected one of owner-counter, snowflake, store-counter, got 'lamport'");
    }

    @Test
    void shouldRejectAFaultOnANodeThatDoesNotExist() {
        assertThat(failure("duration: 10s\nfaults:\n  - {at: 2s, kill: n7}\n").getMessage())
                .isEqualTo("test.yaml:3:20: faults[0].kill: expected a node of the topology (n1..n3), got 'n7'");
    }

    @Test
    void shouldRejectAFaultAfterQuiesce() {
        ScenarioException e = failure("duration: 10s\nquiesce_at: 5s\nfaults:\n  - at: 6s\n    kill: n1\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("faults[0].at").contains("before quiesce_at (5s)");
    }

    @Test
    void shouldRejectAFaultWithTwoKinds() {
        assertThat(failure("faults:\n  - {at: 1s, kill: n1, restart: n1}\n").getMessage())
                .contains("faults[0]: expected exactly one of kill, restart, skew, partition, cut, heal, spike, slow_disk, disconnect, store_kill, found 2");
    }

    @Test
    void shouldRejectASkewWithoutAnOffset() {
        assertThat(failure("faults:\n  - {at: 1s, skew: n1}\n").getMessage()).contains("expected 'by'");
    }

    @Test
    void shouldRejectAGroupLargerThanThePopulation() {
        assertThat(failure("population: {users: 3, group_size: 4}\n").getMessage())
                .contains("population.group_size: expected an integer from 2 to 3, got 4");
    }

    @Test
    void shouldRejectADuplicateKey() {
        ScenarioException e = failure("duration: 5s\nduration: 6s\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("duplicate key 'duration'");
    }

    @Test
    void shouldRejectAnEmptyFile() {
        assertThat(failure("\n").getMessage()).isEqualTo("test.yaml: the file is empty; expected a mapping such as 'duration: 10s'");
    }

    @Test
    void shouldRejectASectionThatIsNotAMapping() {
        assertThat(failure("topology: 3\n").getMessage()).isEqualTo("test.yaml:1:11: topology: expected a mapping of keys to values");
    }

    @Test
    void shouldNameAMissingFile() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.load(Path.of("library/no-such.yaml")));
        assertThat(e.getMessage()).isEqualTo("library/no-such.yaml: no such scenario file");
    }

    /** Every file of the library, found by glob: a file added later is loaded and validated too. */
    static List<Path> libraryFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("library"))) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("libraryFiles")
    void shouldLoadAndValidateEveryScenarioOfTheLibrary(Path file) throws ScenarioException {
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        assertThat(ScenarioLoader.load(file).name()).isEqualTo(base);
    }

    @Test
    void shouldFindTheWholeLibraryByGlobIncludingTheRealOnlyFleet() throws IOException {
        assertThat(libraryFiles()).hasSizeGreaterThanOrEqualTo(18)
                .contains(Path.of("library", "smoke.yaml"), Path.of("library", "fleet-25k.yaml"));
    }

    @Test
    void shouldReadTheFleetOf25kAsItsHeaderDescribesIt() throws ScenarioException {
        Scenario fleet = ScenarioLoader.load(Path.of("library", "fleet-25k.yaml"));
        assertThat(fleet.population().users()).isEqualTo(25_000);
        assertThat(fleet.population().devicesPerUser()).isEqualTo(1);
        assertThat(fleet.durationMicros()).isEqualTo(150_000_000);
        assertThat(fleet.chaos().schedule().faults()).singleElement()
                .satisfies(f -> {
                    assertThat(f.atMicros()).isEqualTo(15_000_000);
                    assertThat(f.fault()).isEqualTo(new Fault.MassDisconnect("n1"));
                });
    }
}
