package dev.chatlab.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BusiestSecondTest {

    @Test
    void shouldCountAHerdLargerThanItsFirstRingAndForgetWhatLeftTheWindow() {
        BusiestSecond peak = new BusiestSecond();
        peak.record(200_000);   // the first second's logins: not counted
        for (int i = 0; i < 200; i++) {
            peak.record(2_000_000 + i * 2_500L);   // 200 in half a second, past the ring's first 64
        }
        for (int i = 0; i < 150; i++) {
            peak.record(4_000_000 + i * 1_000L);   // the first herd has left the window
        }
        assertThat(peak.peak()).isEqualTo(200);
    }
}
