package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void shouldParseEveryUnit() {
        assertThat(Durations.parseMicros("800us")).isEqualTo(800);
        assertThat(Durations.parseMicros("250ms")).isEqualTo(250_000);
        assertThat(Durations.parseMicros("1.5s")).isEqualTo(1_500_000);
        assertThat(Durations.parseMicros("-5s")).isEqualTo(-5_000_000);
        assertThat(Durations.parseMicros("2m")).isEqualTo(120_000_000);
    }

    @Test
    void shouldRejectANumberWithoutUnitOrFinerThanAMicrosecond() {
        assertThatThrownBy(() -> Durations.parseMicros("10")).hasMessageContaining("expected a duration");
        assertThatThrownBy(() -> Durations.parseMicros("0.5us")).hasMessageContaining("whole number of microseconds");
    }

    @Test
    void shouldFormatBackToTextThatParsesToTheSameValue() {
        for (long micros : new long[] {0, 1, 999, 1_000, 1_500_000, 2_000_000, 250_000, -5_000_000, 7_500_000}) {
            assertThat(Durations.parseMicros(Durations.format(micros))).as("%d", micros).isEqualTo(micros);
        }
        assertThat(Durations.format(1_500_000)).isEqualTo("1.5s");
        assertThat(Durations.format(250_000)).isEqualTo("250ms");
        assertThat(Durations.format(100_000)).isEqualTo("100ms");
    }
}
