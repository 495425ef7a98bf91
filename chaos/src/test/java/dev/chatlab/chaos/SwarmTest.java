package dev.chatlab.chaos;

import dev.chatlab.sim.random.RandomStreams;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwarmTest {

    private static final List<String> NODES = List.of("n1", "n2", "n3");
    private final Swarm swarm = Swarm.defaults(500_000, 5_000_000);

    private FaultPlan draw(long seed) {
        return swarm.draw(RandomStreams.root(seed).stream("swarm"), NODES);
    }

    @Test
    void shouldDrawTheSamePlanFromTheSameSeed() {
        assertThat(draw(42)).isEqualTo(draw(42));
    }

    @Test
    void shouldDrawTheMixItselfFromTheSeed() {
        Set<List<String>> mixes = new HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            mixes.add(swarm.mix(RandomStreams.root(seed).stream("swarm")).kinds());
        }
        assertThat(mixes).hasSizeGreaterThan(10);
    }

    @Test
    void shouldKeepEveryFaultInsideTheWindowCountAndKinds() {
        for (long seed = 1; seed <= 200; seed++) {
            Swarm.Mix mix = swarm.mix(RandomStreams.root(seed).stream("swarm"));
            FaultPlan plan = draw(seed);
            assertThat(plan.size()).isEqualTo(mix.faults()).isBetween(1, 5);
            for (FaultPlan.Scheduled s : plan.faults()) {
                assertThat(s.atMicros()).isBetween(500_000L, 4_999_999L);
                assertThat(mix.kinds()).contains(s.fault().kind());
                assertThat(s.origin()).isEqualTo("swarm");
            }
        }
    }

    @Test
    void shouldDrawOnlyTheKindsItIsAllowed() {
        Swarm killsOnly = swarm.withKinds(List.of("kill")).withFaults(3, 3);
        FaultPlan plan = killsOnly.draw(RandomStreams.root(7).stream("swarm"), NODES);
        assertThat(plan.faults()).hasSize(3).allSatisfy(s -> {
            assertThat(s.fault()).isInstanceOf(Fault.Kill.class);
            assertThat(((Fault.Kill) s.fault()).downMicros()).isBetween(200_000L, 2_000_000L);
        });
    }

    @Test
    void shouldRefuseKindsItCannotDrawAndEmptyWindows() {
        assertThatThrownBy(() -> swarm.withKinds(List.of("restart"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Swarm.defaults(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
