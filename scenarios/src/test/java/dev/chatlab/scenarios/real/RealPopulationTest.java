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
}
