package dev.chatlab.scenarios;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    @Test
    void scenarioAndSimCodeReadsNoWallClockAndNoUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.scenarios");
    }
}
