package dev.chatlab.core.protocol;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

/** The codec runs inside the simulator: it must read no clock and draw no unseeded randomness. */
class CodecDeterminismTest {

    @Test
    void protocolCodeShouldBeDeterministic() {
        DeterminismRules.assertDeterministic("dev.chatlab.core.protocol");
    }
}
