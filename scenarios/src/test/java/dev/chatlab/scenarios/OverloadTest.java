package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OverloadTest {

    private static Map<String, Object> latency(long p50, long p99) {
        return Map.of("send_to_ack", Map.of("p50_us", p50, "p99_us", p99));
    }

    @Test
    void shouldNameEverySignOfASaturatedRun() {
        Map<String, Object> o = Overload.of(Map.of("messages", 37_659L, "indeterminate", 7_789L), latency(5_200_000, 9_000_000),
                Map.of("peak_owed_deliveries", 4_000L), Map.of("saturated", true, "cores_busy", 1.97, "cores_available", 2));

        assertThat(o.get("overloaded")).isEqualTo(true);
        assertThat(o.get("signs")).isEqualTo(List.of("21% of sends indeterminate (7789 of 37659)", "send->ack p50 5200.0 ms",
                "2.0 of 2 cores busy"));
        assertThat((String) o.get("line")).startsWith("OVERLOADED: 21% of sends indeterminate");
        assertThat(o.get("peak_owed_deliveries")).isEqualTo(4_000L);
    }

    @Test
    void shouldSayWhenOtherWorkOnTheMachineTookTheCores() {
        Map<String, Object> o = Overload.of(Map.of("messages", 10L, "indeterminate", 0L), latency(1_000, 2_000), Map.of(),
                Map.of("saturated", true, "cores_busy", 0.72, "machine_cores_busy", 1.85, "others_cores_busy", 1.13,
                        "cores_available", 2));

        assertThat(o.get("signs")).isEqualTo(List.of("1.9 of 2 cores busy (1.1 of them by other work on the machine)"));
    }

    @Test
    void shouldCallARunWhoseNodesRefusedManyFramesOverloadedEvenWithCoresToSpare() {
        // Measured: 4,000 messages/s on 120 devices, every send acked at last, p50 149 ms, 1.3 of 2 cores busy,
        // but one frame in six answered with an error (the sessions' rate limit) and p99 4.6 s of retries.
        Map<String, Object> o = Overload.of(Map.of("messages", 23_906L, "indeterminate", 0L), latency(148_863, 4_644_863),
                Map.of(), Map.of("cores_busy", 1.29, "cores_available", 2), 122_975, 20_390);

        assertThat(o.get("overloaded")).isEqualTo(true);
        assertThat(o.get("signs")).isEqualTo(List.of("17% of the devices' frames answered with an error (20390 of 122975:"
                + " rate limits, owners that could not keep up)"));
        assertThat(Overload.of(Map.of("messages", 2_000L, "indeterminate", 0L), latency(3_000, 30_000), Map.of(), Map.of(),
                6_000, 85).get("overloaded")).as("a chaos run's few refusals").isEqualTo(false);
    }

    @Test
    void shouldCallARunThatKeptUpNotOverloaded() {
        Map<String, Object> o = Overload.of(Map.of("messages", 1_000L, "indeterminate", 3L), latency(4_000, 40_000),
                Map.of(), Map.of());

        assertThat(o.get("overloaded")).isEqualTo(false);
        assertThat((String) o.get("line")).isEqualTo("not overloaded: 3 of 1000 sends indeterminate, send->ack p50 4.0 ms p99 40.0 ms");
    }
}
