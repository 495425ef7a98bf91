package dev.chatlab.history.io;

import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

/**
 * The reader left chat-core, whose determinism check covered it; the checker and the fleet's merge
 * read histories with it, and a replayed file must judge the same, so the check follows it here.
 */
class HistoryIoDeterminismTest {

    @Test
    void historyReadingReadsNoClockAndNoUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.history.io");
    }
}
