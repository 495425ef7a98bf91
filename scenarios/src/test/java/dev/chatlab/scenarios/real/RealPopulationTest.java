package dev.chatlab.scenarios.real;

import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The real engine's population is drawn as the file describes it, zipf group sizes included. */
class RealPopulationTest {

    @Test
    void shouldDrawZipfGroupSizesMostlyPairsAndSomeGroups() throws Exception {
        Scenario s = ScenarioLoader.parse("test.yaml", "test",
                "population: {users: 150, chats: 150, group_sizes: {distribution: zipf, exponent: 1.3, max: 16}}\n");
        RealPopulation people = RealPopulation.draw(s.population(), new SplittableRandom(1));
        List<Integer> sizes = people.members().values().stream().map(List::size).toList();
        assertThat(sizes).hasSize(150).allMatch(n -> n >= 2 && n <= 16);
        assertThat(sizes.stream().filter(n -> n == 2).count()).as("pairs, the most common chat").isGreaterThan(50);
        assertThat(sizes.stream().filter(n -> n > 4).count()).as("groups above 4 members").isGreaterThan(5);
    }

    @Test
    void shouldRampTheRateFromZeroOverTheWarmUp() throws Exception {
        Scenario s = ScenarioLoader.parse("test.yaml", "test", "duration: 30s\nquiesce_at: 25s\n"
                + "population: {users: 100, chats: 30}\nworkload: {messages_per_second: 200, warmup: 10s}\n");
        RealPopulation people = RealPopulation.draw(s.population(), new SplittableRandom(1));
        List<Long> sends = new java.util.ArrayList<>();
        people.workload(s.workload(), 0, 20_000_000, new SplittableRandom(2), (at, user, device, action) -> {
            if (action instanceof dev.chatlab.core.client.UserAction.SendMessage) {
                sends.add(at);
            }
        });
        // 0-20% of the rate in seconds 0-2 (about 40 of 400), 80-100% in seconds 8-10 (about 360), all of it after.
        assertThat(sends.stream().filter(t -> t < 2_000_000).count()).isBetween(15L, 75L);
        assertThat(sends.stream().filter(t -> t >= 8_000_000 && t < 10_000_000).count()).isBetween(300L, 420L);
        assertThat(sends.stream().filter(t -> t >= 10_000_000).count()).isBetween(1_850L, 2_150L);
    }
}
