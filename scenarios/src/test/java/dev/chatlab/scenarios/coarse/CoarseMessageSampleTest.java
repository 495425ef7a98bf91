package dev.chatlab.scenarios.coarse;

import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.scenarios.coarse.CoarseConfig.CoarseFault;
import dev.chatlab.scenarios.coarse.CoarseConfig.StoreCost;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code coarse.message_sample}: one message in N simulated, standing for the others, must give
 * the same counts, load and latencies as simulating all of them, for a fraction of the events.
 */
class CoarseMessageSampleTest {

    /** 4 servers of 2,000, 6,000 devices, 3,000 messages/s for 30 s: the servers' threads about a third busy. */
    private static CoarseConfig busy(int sample) {
        return new CoarseConfig("busy", 30_000_000, 4, 6_000, 1, 2_000, 3_000, 0, 86_400_000_000L, 16, 1.2, 0, 0,
                256, 30_000_000, 2, 200, 50, 2_000, 0.5, 16, StoreCost.lsm(), 20_000, 200, 300, 0.5, 500_000,
                3_000_000, new ReconnectPolicy.UniformJitter(5_000_000), 30_000_000, 1_000_000,
                List.of(CoarseFault.kill(10_000_000, 1, 0)), sample, 0, 0);
    }

    private static CoarseModel run(CoarseConfig config) {
        CoarseModel model = new CoarseModel(config, 1, null);
        model.run();
        return model;
    }

    @Test
    void shouldGiveTheCountsLoadAndLatenciesOfEveryMessageForATenthOfTheEvents() {
        CoarseModel all = run(busy(1));
        CoarseModel sampled = run(busy(10));
        Map<String, Long> a = all.counts();
        Map<String, Long> s = sampled.counts();
        for (String count : List.of("messages", "acks", "delivers", "store_writes")) {
            assertThat((double) s.get(count)).as(count).isCloseTo(a.get(count), org.assertj.core.data.Percentage.withPercentage(5));
        }
        assertThat(s.get("compactions")).isCloseTo(a.get("compactions"), org.assertj.core.data.Percentage.withPercentage(5));
        // Connections are not sampled: every device of the killed server comes back, one by one.
        assertThat(s.get("reconnects")).isEqualTo(a.get("reconnects")).isEqualTo(1_500);
        assertThat(Arrays.stream(sampled.utilisation()).sum())
                .isCloseTo(Arrays.stream(all.utilisation()).sum(), org.assertj.core.data.Percentage.withPercentage(10));
        assertThat((double) sampled.sendToAck().percentile(50))
                .isCloseTo(all.sendToAck().percentile(50), org.assertj.core.data.Percentage.withPercentage(10));
        assertThat((double) sampled.sendToDeliver().percentile(99))
                .isCloseTo(all.sendToDeliver().percentile(99), org.assertj.core.data.Percentage.withPercentage(25));
        assertThat(sampled.events()).isLessThan(all.events() / 5);
    }
}
