package dev.chatlab.core;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

/** The build check: chat-core runs inside the simulator, so it must never read the real clock or unseeded randomness. */
class DeterminismTest {

    @Test
    void chatCoreTakesTimeAndRandomnessOnlyAsArguments() {
        DeterminismRules.assertDeterministic("dev.chatlab.core");
    }
}
