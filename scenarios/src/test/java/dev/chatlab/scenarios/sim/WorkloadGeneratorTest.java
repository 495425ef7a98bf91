package dev.chatlab.scenarios.sim;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.scenarios.Scenario;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadGeneratorTest {

    private record Act(long at, String user, String device, UserAction action) {
    }

    private static List<Act> generate(double rate, long endMicros, long seed) {
        Population people = Population.draw(new Scenario.Population(10, 2, 5, 3), new SplittableRandom(seed));
        var generator = new WorkloadGenerator(new Scenario.Workload(rate, 0.5, 0.5), people, new SplittableRandom(seed + 1), endMicros);
        List<Act> out = new ArrayList<>();
        for (long t = 100_000; t <= 200_000_000; t += 100_000) {
            generator.emitUntil(t, (at, user, device, action) -> out.add(new Act(at, user, device, action)));
        }
        return out;
    }

    @Test
    void shouldSendAtTheAverageRateAndStopAtTheEnd() {
        List<Act> acts = generate(50, 100_000_000, 3);
        long sends = acts.stream().filter(a -> a.action() instanceof UserAction.SendMessage).count();
        assertThat(sends).isBetween(4_700L, 5_300L);   // Poisson: 5000 expected, sd about 71
        assertThat(acts.stream().filter(a -> a.action() instanceof UserAction.SendMessage).mapToLong(Act::at).max().orElseThrow())
                .isLessThan(100_000_000);
    }

    @Test
    void shouldGiveEverySendItsOwnCmidFromAMemberOfTheChat() {
        Population people = Population.draw(new Scenario.Population(10, 2, 5, 3), new SplittableRandom(3));
        List<Act> acts = generate(50, 20_000_000, 3);
        var cmids = new HashSet<String>();
        for (Act a : acts) {
            if (a.action() instanceof UserAction.SendMessage s) {
                assertThat(cmids.add(s.cmid())).as("cmid %s repeated", s.cmid()).isTrue();
                assertThat(people.members().get(people.chats().indexOf(s.chat()))).contains(a.user());
            }
        }
    }

    @Test
    void shouldDrawTheSameActionsFromTheSameSeedAndOthersFromAnother() {
        assertThat(generate(20, 10_000_000, 5)).isEqualTo(generate(20, 10_000_000, 5));
        assertThat(generate(20, 10_000_000, 5)).isNotEqualTo(generate(20, 10_000_000, 6));
    }

    @Test
    void shouldDrawChatsOfDistinctMembers() {
        Population people = Population.draw(new Scenario.Population(6, 1, 50, 6), new SplittableRandom(9));
        for (List<String> members : people.members()) {
            assertThat(members).hasSize(6).doesNotHaveDuplicates();
        }
    }
}
