package dev.chatlab.scenarios;

import dev.chatlab.core.strategy.ReconnectPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code --set KEY=VALUE}: applied to the file's tree before validation, validated like the file, errors naming the flag. */
class ScenarioOverridesTest {

    private static final String FILE = """
            name: herd
            duration: 10s
            topology:
              nodes: 3
            client:
              reconnect: jitter
              jitter_window: 1s
            faults:
              - {at: 2s, kill: n2, for: 1s}
            slo:
              - p99(send_to_ack) < 1s
            """;

    private static Scenario load(String... flags) throws ScenarioException {
        return ScenarioLoader.parse("herd.yaml", "herd", FILE, List.of(flags));
    }

    private static ScenarioException failure(String text, String... flags) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.parse("herd.yaml", "herd", text, List.of(flags)));
        assertThat(e).as("expected %s to be refused", List.of(flags)).isNotNull();
        return e;
    }

    @Test
    void shouldChangeTheValuesTheFileSetAndRecordTheFlagsInOrder() throws ScenarioException {
        Scenario s = load("client.jitter_window=30s", "topology.nodes=12", "topology.nodes=5");
        assertThat(s.topology().nodes()).isEqualTo(5);
        assertThat(((ReconnectPolicy.UniformJitter) s.client().reconnect()).windowMicros()).isEqualTo(30_000_000);
        assertThat(s.overrides()).containsExactly("client.jitter_window=30s", "topology.nodes=12", "topology.nodes=5");
        assertThat(s.settings().get("topology")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("nodes", 5);
        assertThat(load().overrides()).isEmpty();
    }

    @Test
    void shouldCreateSectionsTheFileLeavesOutAndKeepTheSiblingsOfANestedKey() throws ScenarioException {
        Scenario s = load("network.client.median=5ms", "store.model=btree");
        assertThat(s.network().client().medianMicros()).isEqualTo(5_000);
        assertThat(s.network().client().sigma()).isEqualTo(0.5);   // the default beside it is kept
        assertThat(s.store().kind().name()).isEqualTo("BTREE");
        assertThat(s.topology().nodes()).isEqualTo(3);
    }

    @Test
    void shouldReplaceAWholeMappingOrListGivenAsAValue() throws ScenarioException {
        Scenario s = load("network.client={median: 5ms}", "faults=[]", "slo=[p50(send_to_ack) < 1s, fails <= 0]");
        assertThat(s.network().client().medianMicros()).isEqualTo(5_000);
        assertThat(s.chaos().schedule().faults()).isEmpty();
        assertThat(s.slos()).extracting(slo -> slo.text()).containsExactly("p50(send_to_ack) < 1s", "fails <= 0");
    }

    @Test
    void shouldReplaceAnEntryOfAListByIndexOrAppendOneAfterTheLast() throws ScenarioException {
        Scenario s = load("faults[0].at=3s", "faults[1]={at: 4s, disconnect: n1}", "slo[1]=fails <= 0");
        assertThat(s.chaos().schedule().faults()).extracting(f -> f.atMicros()).containsExactly(3_000_000L, 4_000_000L);
        assertThat(s.slos()).extracting(slo -> slo.text()).containsExactly("p99(send_to_ack) < 1s", "fails <= 0");
        ScenarioException e = failure(FILE, "faults[3].at=3s");
        assertThat(e.getMessage()).isEqualTo("--set faults[3].at=3s: faults has 1 entry; an index names one of them (0..0)"
                + " or appends one (1)");
    }

    @Test
    void shouldNameTheFlagOfABadValue() {
        ScenarioException e = failure(FILE, "topology.nodes=abc");
        assertThat(e.getMessage()).isEqualTo("--set topology.nodes=abc: expected an integer, got 'abc'");
        assertThat(e.line()).isZero();
        assertThat(failure(FILE, "topology.nodes=10001").getMessage())
                .isEqualTo("--set topology.nodes=10001: expected an integer from 1 to 10000, got 10001");
        assertThat(failure(FILE, "client.jitter_window=soon").getMessage())
                .startsWith("--set client.jitter_window=soon: expected a duration such as");
        assertThat(failure(FILE, "faults[0].kill=n7").getMessage())
                .isEqualTo("--set faults[0].kill=n7: expected a node of the topology (n1..n3), got 'n7'");
        assertThat(failure(FILE, "slo[0]=p99(send_ack) < 1s").getMessage())
                .startsWith("--set slo[0]=p99(send_ack) < 1s: unknown metric 'p99(send_ack)'");
    }

    @Test
    void shouldRefuseAnUnknownKeyAsTheFilesUnknownKeysAre() {
        assertThat(failure(FILE, "topology.nodez=3").getMessage()).isEqualTo("--set topology.nodez=3: unknown key 'nodez'"
                + " in topology; expected one of: fanout, fencing, hybrid_threshold, nodes, ownership, presence_ttl, routing,"
                + " sequencing");
        assertThat(failure(FILE, "colour=red").getMessage()).startsWith("--set colour=red: unknown key 'colour'; expected one of:");
    }

    @Test
    void shouldRefuseAMalformedFlag() {
        assertThat(failure(FILE, "topology.nodes").getMessage())
                .isEqualTo("--set topology.nodes: expected KEY=VALUE with KEY a scenario key by its path, such as topology.nodes=12");
        assertThat(failure(FILE, "topology..nodes=3").getMessage()).startsWith("--set topology..nodes=3: expected KEY as names joined by '.'");
        assertThat(failure(FILE, "topology.nodes=").getMessage()).startsWith("--set topology.nodes=: expected a value after '='");
        assertThat(failure(FILE, "topology.nodes.max=3").getMessage())
                .isEqualTo("--set topology.nodes.max=3: topology.nodes is a single value ('3'), not a mapping with keys");
        assertThat(failure(FILE, "network.client[0]=3").getMessage())
                .startsWith("--set network.client[0]=3: network.client is not in the file");
    }

    @Test
    void shouldBlameTheFileAtItsLineAndNameTheFlagsInEffectWhenTheFileIsAtFault() {
        // The flag shortens the run; the file's quiesce_at no longer fits: the file's line, with the flag named.
        ScenarioException e = failure("duration: 10s\nquiesce_at: 8s\n", "duration=5s");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("herd.yaml:2:13: quiesce_at: expected a time after 0 and before the end of the run (5s)")
                .endsWith("(with --set duration=5s)");
        // A type error elsewhere in the file is located in the file although the tree was bound.
        ScenarioException typed = failure("duration: 10s\ntopology:\n  nodes: three\n", "duration=5s");
        assertThat(typed.line()).isEqualTo(3);
        assertThat(typed.getMessage()).startsWith("herd.yaml:3:10: topology.nodes: expected an integer, got 'three'");
    }

    @Test
    void shouldValidateTheFileExactlyAsBeforeWithoutFlags() {
        ScenarioException plain = failure("topology:\n  nodes: three\n");
        assertThat(plain.getMessage()).isEqualTo("herd.yaml:2:10: topology.nodes: expected an integer, got 'three'");
    }

    @Test
    void shouldRunAnEmptyFileWithEverythingSetOnTheCommandLine() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("empty.yaml", "empty", "", List.of("topology.nodes=4"));
        assertThat(s.topology().nodes()).isEqualTo(4);
        assertThat(s.settings()).containsKey("topology").doesNotContainKey("slo");
    }
}
