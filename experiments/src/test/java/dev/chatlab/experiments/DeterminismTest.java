package dev.chatlab.experiments;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

/**
 * An experiment's files are the same bytes every time (and with {@code --parallel}): nothing in
 * the module reads the wall clock or unseeded randomness. The progress line's ETA is the one
 * use of time, and the command line hands it its clock.
 */
class DeterminismTest {

    @Test
    void experimentsReadNoWallClockAndNoUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.experiments");
    }
}
