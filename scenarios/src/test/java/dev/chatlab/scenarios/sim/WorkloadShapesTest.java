package dev.chatlab.scenarios.sim;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.scenarios.Scenario;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional shapes of a workload: diurnal rate, Zipf activity, Zipf group sizes, think time. */
class WorkloadShapesTest {

    private record Send(long at, String user, String chat) {
    }

    private static Scenario.Workload workload(Scenario.Diurnal diurnal, Scenario.Activity activity, long thinkMicros,
                                              double rate) {
        return new Scenario.Workload(rate, 0.3, 0.3, false, 0, 2_000_000, diurnal, activity, thinkMicros);
    }

    private static List<Send> sends(Scenario.Workload spec, Population people, long endMicros, long seed) {
        var generator = new WorkloadGenerator(spec, people, new SplittableRandom(seed), endMicros);
        List<Send> out = new ArrayList<>();
        for (long t = 100_000; t <= endMicros; t += 100_000) {
            generator.emitUntil(t, (at, user, device, action) -> {
                if (action instanceof UserAction.SendMessage s) {
                    out.add(new Send(at, user, s.chat()));
                }
            });
        }
        return out;
    }

    private static Population people(int users, int chats, int groupSize, long seed) {
        return Population.draw(new Scenario.Population(users, 1, chats, groupSize), new SplittableRandom(seed));
    }

    @Test
    void shouldSendMoreInThePeakHalfOfADiurnalPeriodThanInTheTrough() {
        long period = 10_000_000;
        List<Send> sends = sends(workload(new Scenario.Diurnal(0.8, period), Scenario.Activity.uniform(), 0, 50),
                people(20, 10, 3, 1), 200_000_000, 2);
        long peak = sends.stream().filter(s -> s.at() % period < period / 2).count();
        long trough = sends.size() - peak;
        // Expected ratio (1 + 2a/pi) / (1 - 2a/pi) = 3.1 at a = 0.8; the mean rate stays 50/s.
        assertThat(peak).isGreaterThan(2 * trough);
        assertThat(sends.size()).isBetween(9_400, 10_600);
    }

    @Test
    void shouldClimbLinearlyFromZeroDuringTheWarmUpAndThenSendTheWholeRate() {
        Scenario.Workload flat = workload(Scenario.Diurnal.none(), Scenario.Activity.uniform(), 0, 200);
        Scenario.Workload warming = new Scenario.Workload(200, 0.3, 0.3, false, 0, 2_000_000, Scenario.Diurnal.none(),
                Scenario.Activity.uniform(), 0, 10_000_000);
        Population people = people(50, 20, 3, 1);
        List<Send> ramped = sends(warming, people, 20_000_000, 3);
        // Seconds 0-2 of a 10 s ramp run at 0-20% of the rate (about 40 of 400), seconds 8-10 at 80-100% (about 360).
        long early = ramped.stream().filter(x -> x.at() < 2_000_000).count();
        long late = ramped.stream().filter(x -> x.at() >= 8_000_000 && x.at() < 10_000_000).count();
        long after = ramped.stream().filter(x -> x.at() >= 10_000_000).count();
        assertThat(early).isBetween(15L, 75L);
        assertThat(late).isBetween(300L, 420L);
        // After the warm-up, the whole rate, as many as a run without one sends in 10 s.
        List<Send> plain = sends(flat, people, 20_000_000, 3);
        assertThat(plain.stream().filter(x -> x.at() < 10_000_000).count()).isBetween(1_850L, 2_150L);
        assertThat(after).isBetween(1_850L, 2_150L);
    }

    @Test
    void shouldKeepTheRateFlatWithoutADiurnalSwing() {
        long period = 10_000_000;
        List<Send> sends = sends(workload(Scenario.Diurnal.none(), Scenario.Activity.uniform(), 0, 50),
                people(20, 10, 3, 1), 200_000_000, 2);
        long peak = sends.stream().filter(s -> s.at() % period < period / 2).count();
        assertThat((double) peak / sends.size()).isBetween(0.47, 0.53);
    }

    @Test
    void shouldMakeTheTopUserSendMuchMoreThanTheMedianUserWithZipfActivity() {
        Population people = people(50, 200, 3, 4);
        List<Send> sends = sends(workload(Scenario.Diurnal.none(), Scenario.Activity.zipf(1.0), 0, 100),
                people, 100_000_000, 5);
        long[] perUser = perUser(sends, people);
        long[] sorted = perUser.clone();
        Arrays.sort(sorted);
        long top = sorted[sorted.length - 1];
        long median = sorted[sorted.length / 2];
        assertThat(top).isGreaterThan(10 * median);
        assertThat(top).isEqualTo(perUser[0]);   // u1 has rank 1
        for (Send s : sends) {
            assertThat(people.members().get(people.chats().indexOf(s.chat()))).contains(s.user());
        }
    }

    @Test
    void shouldSpreadSendsEvenlyOverUsersWithUniformActivity() {
        Population people = people(50, 200, 3, 4);
        long[] perUser = perUser(sends(workload(Scenario.Diurnal.none(), Scenario.Activity.uniform(), 0, 100),
                people, 100_000_000, 5), people);
        long[] sorted = perUser.clone();
        Arrays.sort(sorted);
        assertThat(sorted[sorted.length - 1]).isLessThan(3 * sorted[sorted.length / 2]);
    }

    @Test
    void shouldNeverLetAUserSendTwiceWithinTheThinkTime() {
        long think = 2_000_000;
        Population people = people(30, 20, 4, 6);
        // 10 sends/s over 30 users thinking 2 s each: the heavy Zipf talkers are often still thinking.
        List<Send> sends = sends(workload(new Scenario.Diurnal(0.5, 20_000_000), Scenario.Activity.zipf(1.2), think, 10),
                people, 60_000_000, 7);
        Map<String, Long> last = new HashMap<>();
        List<Send> byTime = new ArrayList<>(sends);
        byTime.sort((a, b) -> Long.compare(a.at(), b.at()));
        for (Send s : byTime) {
            Long before = last.put(s.user(), s.at());
            if (before != null) {
                assertThat(s.at() - before).as("gap of %s", s.user()).isGreaterThanOrEqualTo(think);
            }
            assertThat(s.at()).isLessThan(60_000_000);
        }
        assertThat(sends.size()).isGreaterThan(400);   // about 600 drawn; a few wait or are dropped at the end
        // Sends are emitted in order per user, so cmids count up with time.
        assertThat(sends).isEqualTo(sends(workload(new Scenario.Diurnal(0.5, 20_000_000), Scenario.Activity.zipf(1.2),
                think, 10), people, 60_000_000, 7));
    }

    @Test
    void shouldDrawZipfGroupSizesUpToTheMaxWithAHeavyHead() {
        var spec = new Scenario.Population(100, 1, 2_000, 3, 0, 0, Scenario.GroupSizes.zipf(1.0, 30));
        Population people = Population.draw(spec, new SplittableRandom(8));
        int[] count = new int[31];
        for (List<String> members : people.members()) {
            assertThat(members).doesNotHaveDuplicates().hasSizeBetween(2, 30);
            count[members.size()]++;
        }
        assertThat(count[30]).as("chats of the max size").isPositive();
        // Weights 1/(k-1): pairs are about 25% of chats, chats of 16 and more about 13% together.
        assertThat(count[2]).isGreaterThan(400);
        assertThat(count[2]).isGreaterThan(10 * count[30]);
        int large = 0;
        for (int k = 16; k <= 30; k++) {
            large += count[k];
        }
        assertThat(count[2]).isGreaterThan(large);
    }

    @Test
    void shouldKeepMegaChatsOfTheirOwnSizeWithZipfGroupSizes() {
        var spec = new Scenario.Population(100, 1, 50, 3, 2, 80, Scenario.GroupSizes.zipf(1.5, 10));
        Population people = Population.draw(spec, new SplittableRandom(9));
        assertThat(people.members().subList(50, 52)).allSatisfy(m -> assertThat(m).hasSize(80));
    }

    private static long[] perUser(List<Send> sends, Population people) {
        long[] out = new long[people.users().size()];
        for (Send s : sends) {
            out[people.users().indexOf(s.user())]++;
        }
        return out;
    }
}
