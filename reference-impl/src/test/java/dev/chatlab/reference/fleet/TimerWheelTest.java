package dev.chatlab.reference.fleet;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimerWheelTest {

    @Test
    void shouldFireEachDevicesRetryAndHeartbeatWithinATickOfItsDeadline() {
        long seed = 14;
        SplittableRandom random = new SplittableRandom(seed);
        long start = 5_123_456;
        TimerWheel wheel = new TimerWheel(start);
        int devices = 2000;
        long[] lateMaxMicros = new long[1];
        int[] fired = new int[2];
        long[] now = {start};
        for (int d = 0; d < devices; d++) {
            // As a welcomed device arms them: a retry every second, a heartbeat every 10 s, from its own moment.
            long welcomed = start + random.nextLong(1_000_000);
            rearm(wheel, welcomed + 1_000_000, 1_000_000, now, lateMaxMicros, fired, 0);
            rearm(wheel, welcomed + 10_000_000, 10_000_000, now, lateMaxMicros, fired, 1);
        }
        long end = start + 31_000_000;
        for (now[0] = start; now[0] <= end; now[0] += 1_000) {
            wheel.runDue(now[0]);
        }

        assertThat(lateMaxMicros[0]).as("seed %d: latest firing after its deadline", seed).isLessThan(1_000);
        // Each device's retries from welcome + 1 s up to 31 s (30 or 31 of them) and 3 heartbeats.
        assertThat(fired[0]).as("seed %d: retries", seed).isBetween(30 * devices, 31 * devices);
        assertThat(fired[1]).as("seed %d: heartbeats", seed).isEqualTo(3 * devices);
        assertThat(wheel.size()).isEqualTo(2 * devices);
    }

    /** A timer that, like a device's, arms the next one from within itself; records how late it ran. */
    private static void rearm(TimerWheel wheel, long at, long every, long[] now, long[] lateMax, int[] fired, int kind) {
        wheel.schedule(at, () -> {
            assertThat(now[0]).as("ran before its deadline").isGreaterThanOrEqualTo(at);
            lateMax[0] = Math.max(lateMax[0], now[0] - at);
            fired[kind]++;
            rearm(wheel, at + every, every, now, lateMax, fired, kind);
        });
    }

    @Test
    void shouldRunWhatIsDueInOrderOfDeadlineThenOfScheduling() {
        TimerWheel wheel = new TimerWheel(0);
        List<String> ran = new ArrayList<>();
        wheel.schedule(3_500, () -> ran.add("c"));
        wheel.schedule(1_200, () -> ran.add("a"));
        wheel.schedule(3_500, () -> ran.add("d"));
        wheel.schedule(1_100, () -> ran.add("first"));
        wheel.schedule(1_900, () -> ran.add("b"));

        assertThat(wheel.runDue(1_150)).isEqualTo(1);
        assertThat(ran).containsExactly("first");
        assertThat(wheel.runDue(1_150)).as("nothing new is due").isZero();
        // A late loop: everything due since, in deadline order across slots.
        wheel.runDue(10_000);
        assertThat(ran).containsExactly("first", "a", "b", "c", "d");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void shouldRunADeadlineAlreadyPastAtTheNextTickNotALapLater() {
        TimerWheel wheel = new TimerWheel(0);
        List<Long> ranAt = new ArrayList<>();
        long[] now = {0};
        wheel.runDue(50_000);
        // Scheduled from within a task, for a moment already gone (a timer set with a stale now).
        wheel.schedule(50_500, () -> wheel.schedule(20_000, () -> ranAt.add(now[0])));
        for (now[0] = 50_000; now[0] <= 60_000; now[0] += 1_000) {
            wheel.runDue(now[0]);
        }
        assertThat(ranAt).containsExactly(52_000L);
    }

    @Test
    void shouldKeepALaterDeadlineOfThePartlyPastSlotUntilItsTime() {
        TimerWheel wheel = new TimerWheel(0);
        List<String> ran = new ArrayList<>();
        wheel.schedule(2_900, () -> ran.add("late in the slot"));
        wheel.runDue(2_100);
        assertThat(ran).isEmpty();
        wheel.runDue(2_900);
        assertThat(ran).containsExactly("late in the slot");
    }

    @Test
    void shouldHoldADeadlineBeyondTheWheelsSpanForAsManyLapsAsItNeeds() {
        TimerWheel wheel = new TimerWheel(0);
        long at = 7 * TimerWheel.SLOTS * TimerWheel.SLOT_MICROS + 321;
        List<Long> ranAt = new ArrayList<>();
        long[] now = {0};
        wheel.schedule(at, () -> ranAt.add(now[0]));
        for (now[0] = 0; now[0] <= at + 5_000; now[0] += 1_000) {
            wheel.runDue(now[0]);
        }
        assertThat(ranAt).containsExactly(at - 321 + 1_000);
    }
}
