package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The coarse level refuses, naming the key and its line, what it does not model. */
class CoarseScopeTest {

    private static ScenarioException refused(String text) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.parse("c.yaml", "c", "level: coarse\n" + text));
        assertThat(e).as("expected the coarse level to refuse:\n%s", text).isNotNull();
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "topology.sequencing|topology:\\n  sequencing: snowflake\\n|3",
            "topology.routing|topology:\\n  routing: pubsub\\n|3",
            "topology.fencing|topology:\\n  fencing: false\\n|3",
            "topology.presence_ttl|topology:\\n  presence_ttl: 5s\\n|3",
            "workload.read_probability|workload:\\n  read_probability: 0.3\\n|3",
            "workload.typing_probability|workload:\\n  typing_probability: 0.5\\n|3",
            "workload.watch_presence|workload:\\n  watch_presence: true\\n|3",
            "workload.churn_per_second|workload:\\n  churn_per_second: 2\\n|3",
            "workload.offline_time|workload:\\n  offline_time: 9s\\n|3",
            "workload.warmup|workload:\\n  warmup: 2s\\n|3",
            "client.heartbeat|client:\\n  heartbeat: 1s\\n|3",
            "store.model|store:\\n  kind: postgres\\n  model: models/local-postgres.yaml\\n|4",
            "network.client.loss|network:\\n  client: {loss: 0.01}\\n|3",
            "network.node.jitter|network:\\n  node: {jitter: 1ms}\\n|3",
            "network.store.sigma|network:\\n  store: {sigma: 1.0}\\n|3",
            "store.read|store:\\n  read: 2ms\\n|3",
            "converge_within|converge_within: 5s\\n|2",
            "faults[0].spike|faults:\\n  - {at: 1s, spike: all, by: 50ms}\\n|3",
            "faults[1].partition|faults:\\n  - {at: 1s, kill: n1}\\n  - {at: 2s, partition: [[n1], [n2, n3]]}\\n|4",
            "faults.schedule[0].skew|faults:\\n  schedule:\\n    - {at: 1s, skew: n1, by: 1s}\\n|4",
            "faults.swarm|faults:\\n  swarm: {kinds: [kill]}\\n|3",
    })
    void shouldRefuseNamingTheKeyAndItsLine(String key, String text, int line) {
        ScenarioException e = refused(text.replace("\\n", "\n"));
        assertThat(e.getMessage()).startsWith("c.yaml:" + line + ":").contains(key + ": the coarse level")
                .contains("level: full");
    }

    @Test
    void shouldAcceptTheFullDefaultsSpelledOutAndTheValuesItRunsAs() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("c.yaml", "c", """
                level: coarse
                converge_within: 60s
                topology: {sequencing: owner-counter, routing: direct, fencing: true, presence_ttl: 30s}
                workload: {read_probability: 0.2, typing_probability: 0.0, churn_per_second: 0, offline_time: 2s}
                client: {heartbeat: 10s, login_spread: paced}
                network: {client: {loss: 0, jitter: 0ms, sigma: 0.8}, node: {sigma: 0.3}}
                store: {model: btree, read: 80us}
                faults:
                  - {at: 1s, kill: n1, for: 1s}
                  - {at: 2s, disconnect: n2}
                  - {at: 3s, slow_disk: 5, for: 1s}
                """);
        assertThat(s.level()).isEqualTo(Scenario.Level.COARSE);
    }

    @Test
    void shouldNameTheFlagWhenTheRefusedValueCameFromSet() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> ScenarioLoader.parse("c.yaml", "c", "level: coarse\n", List.of("topology.routing=pubsub")));
        assertThat(e.getMessage()).contains("--set topology.routing=pubsub").contains("direct node-to-node routing only");
    }

    @Test
    void shouldLoadEveryCoarseScenarioOfTheLibrary() throws IOException, ScenarioException {
        List<Path> coarse;
        try (Stream<Path> files = Files.list(Path.of("library"))) {
            coarse = files.filter(f -> f.toString().endsWith(".yaml")).sorted().filter(f -> {
                try {
                    return Files.readString(f).contains("\nlevel: coarse");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
        assertThat(coarse).extracting(f -> f.getFileName().toString()).contains("whatsapp-1m.yaml", "whatsapp-100m.yaml");
        for (Path f : coarse) {
            assertThat(ScenarioLoader.load(f).level()).as(f.toString()).isEqualTo(Scenario.Level.COARSE);
        }
    }
}
