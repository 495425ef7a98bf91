package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loader's bounds at the seed's scale, and the heap a run needs, judged before it starts. */
class HeapEstimateTest {

    private static final String FULL_BILLION = """
            name: billion
            duration: 10s
            topology: {nodes: 10000}
            population: {users: 1000000000, devices_per_user: 1, chats: 1000000000, group_size: 2}
            workload: {messages_per_second: 10000000}
            """;

    @Test
    void shouldAcceptTheSeedsScaleAtTheLoaderBounds() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("big.yaml", "big", FULL_BILLION);
        assertThat(s.population().users()).isEqualTo(1_000_000_000);
        assertThat(s.topology().nodes()).isEqualTo(10_000);
        assertThat(s.workload().messagesPerSecond()).isEqualTo(10_000_000);
    }

    @Test
    void shouldNameTheBoundsJustAboveThem() {
        assertThatThrownBy(() -> ScenarioLoader.parse("big.yaml", "big", FULL_BILLION.replace("users: 1000000000", "users: 1000000001")))
                .hasMessageContaining("big.yaml:4:").hasMessageContaining("population.users: expected an integer from 2 to 1000000000, got 1000000001");
        assertThatThrownBy(() -> ScenarioLoader.parse("big.yaml", "big", FULL_BILLION.replace("nodes: 10000", "nodes: 10001")))
                .hasMessageContaining("topology.nodes: expected an integer from 1 to 10000, got 10001");
        assertThatThrownBy(() -> ScenarioLoader.parse("big.yaml", "big", FULL_BILLION.replace("second: 10000000", "second: 10000001")))
                .hasMessageContaining("workload.messages_per_second: expected a rate from 0 to 10000000, got 1.0000001E7");
    }

    @Test
    void shouldRefuseAFullLevelBillionWithTheEstimateAndTheKeyToLower() throws ScenarioException {
        HeapEstimate e = HeapEstimate.of(ScenarioLoader.parse("big.yaml", "big", FULL_BILLION));
        // 10^9 devices x 4 KiB + 2 x 10^9 memberships x 1 KiB: terabytes, on any machine.
        assertThat(e.bytes()).isGreaterThan(5_000_000_000_000L);
        String refusal = e.refusal(16L << 30);
        assertThat(refusal).startsWith("the run needs about 5722.1 GiB of heap but the JVM has 16.0 GiB")
                .contains("full level: 1,000,000,000 devices x 4096 B + 2,000,000,000 chat memberships x 1024 B")
                .endsWith("lower population.users");
    }

    @Test
    void shouldFitTheCoarse100MillionFileInHalfAGibibyte() throws ScenarioException {
        Scenario s = ScenarioLoader.load(Path.of("library/whatsapp-100m.yaml"));
        HeapEstimate e = HeapEstimate.of(s);
        assertThat(e.refusal(512L << 20)).isNull();
        assertThat(e.breakdown()).startsWith("coarse level: 1,010 nodes x 4096 B + 600 intervals x 128 B + 1 herds of 99,010 devices");
    }
}
