package dev.chatlab.stats;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

/** The simulator measures its runs with this recorder, so it obeys the simulator's determinism rules. */
class RunStatsDeterminismTest {

    @Test
    void runStatisticsReadNoClockAndNoUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.stats");
    }
}
