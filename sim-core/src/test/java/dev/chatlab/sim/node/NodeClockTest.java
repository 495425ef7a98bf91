package dev.chatlab.sim.node;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeClockTest {

    private final Simulation sim = new Simulation();
    private final FaultCounters faults = new FaultCounters();
    private final NodeClock clock = new NodeClock(sim, faults);

    private void advanceTo(long micros) {
        sim.runUntil(micros);
    }

    @Test
    void shouldReadTrueTimeWithoutSkewOrDrift() {
        advanceTo(12_345);
        assertThat(clock.nowMicros()).isEqualTo(12_345);
    }

    @Test
    void shouldAddTheOffsetAndTheDriftAccumulatedSinceConfiguration() {
        clock.configure(-2_000, 50.0); // 2 ms behind, gains 50 us per second
        advanceTo(10_000_000);

        assertThat(clock.nowMicros()).isEqualTo(10_000_000 - 2_000 + 500);
        assertThat(clock.offsetMicros()).isEqualTo(-1_500);
        assertThat(faults.total()).isZero();
    }

    @Test
    void shouldLoseTimeWithNegativeDrift() {
        clock.configure(0, -100.0);
        advanceTo(1_000_000);
        assertThat(clock.nowMicros()).isEqualTo(1_000_000 - 100);
    }

    @Test
    void shouldStepToAnInjectedSkewAndCountIt() {
        advanceTo(1_000);
        clock.injectSkew(500_000);
        assertThat(clock.nowMicros()).isEqualTo(501_000);
        clock.injectSkew(-300);
        assertThat(clock.nowMicros()).as("skew can step the clock backwards").isEqualTo(700);
        clock.jump(50);
        assertThat(clock.nowMicros()).isEqualTo(750);
        assertThat(faults.count(FaultCounters.CLOCK_SKEW)).isEqualTo(3);
    }

    @Test
    void shouldChangeDriftWithoutAJump() {
        clock.configure(0, 1_000.0);
        advanceTo(1_000_000);
        long before = clock.nowMicros();
        clock.injectDrift(0.0);

        assertThat(clock.nowMicros()).isEqualTo(before).isEqualTo(1_001_000);
        advanceTo(2_000_000);
        assertThat(clock.nowMicros()).isEqualTo(2_001_000);
        assertThat(faults.count(FaultCounters.CLOCK_DRIFT)).isEqualTo(1);
    }

    @Test
    void shouldFireALocalDeadlineAtOnceIfTheClockIsAlreadyPastIt() {
        clock.configure(1_000_000, 0);
        assertThat(clock.trueTimeAt(10)).isEqualTo(sim.now());
    }

    @Test
    void shouldRejectImpossibleDrift() {
        assertThatThrownBy(() -> clock.configure(0, -1_000_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void shouldMapALocalDeadlineToTheFirstTrueInstantThatReachesIt(
            @ForAll @LongRange(min = -10_000_000_000L, max = 10_000_000_000L) long offset,
            @ForAll @DoubleRange(min = -200_000, max = 200_000) double ppm,
            @ForAll @LongRange(min = 0, max = 100_000_000_000L) long ahead) {
        Simulation s = new Simulation();
        NodeClock c = new NodeClock(s, new FaultCounters());
        c.configure(offset, ppm);
        long target = c.nowMicros() + ahead;

        long at = c.trueTimeAt(target);

        assertThat(c.localAt(at)).isGreaterThanOrEqualTo(target);
        if (at > s.now()) {
            assertThat(c.localAt(at - 1)).isLessThan(target);
        }
    }
}
