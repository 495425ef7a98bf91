package dev.chatlab.sim;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

class DeterminismRulesTest {

    @Test
    void simulatorCodeShouldNeverReadTheWallClockOrDrawUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.sim");
    }
}
