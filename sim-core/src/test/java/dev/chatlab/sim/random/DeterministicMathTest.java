package dev.chatlab.sim.random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DeterministicMathTest {

    @Test
    void shouldAgreeWithStrictMathOnUniformDrawsAndAcrossTheRange() {
        RandomStream random = new RandomStream(17);
        for (int i = 0; i < 1_000_000; i++) {
            double u = random.nextDoubleNonZero();
            assertClose(u);
        }
        for (int i = 0; i < 100_000; i++) {
            double x = Double.longBitsToDouble(random.nextLong(0x7FE0_0000_0000_0000L) + 0x0010_0000_0000_0000L);
            assertClose(x);
        }
    }

    private static void assertClose(double x) {
        double expected = StrictMath.log(x);
        double actual = DeterministicMath.ln(x);
        double tolerance = Math.max(1e-15, Math.abs(expected) * 4e-16);
        if (Math.abs(actual - expected) > tolerance) {
            assertThat(actual).as("ln(%s)", x).isCloseTo(expected, within(tolerance));
        }
    }

    @Test
    void shouldBeExactWhereTheLogarithmIs() {
        assertThat(DeterministicMath.ln(1.0)).isEqualTo(0.0);
        assertThat(DeterministicMath.ln(Math.E)).isCloseTo(1.0, within(1e-15));
        assertThat(DeterministicMath.ln(0.5)).isCloseTo(-StrictMath.log(2), within(1e-16));
    }

    @Test
    void shouldFollowStrictMathOnSpecialValues() {
        assertThat(DeterministicMath.ln(0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(DeterministicMath.ln(-1.0)).isNaN();
        assertThat(DeterministicMath.ln(Double.NaN)).isNaN();
        assertThat(DeterministicMath.ln(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(DeterministicMath.ln(Double.MIN_VALUE)).isEqualTo(StrictMath.log(Double.MIN_VALUE));
    }

    @Test
    void shouldBeMonotonicAcrossTableBoundaries() {
        double x = 1.0;
        double previous = DeterministicMath.ln(Math.nextDown(x));
        for (int i = 0; i < 512; i++) {
            double boundary = 1.0 + i / 256.0;
            double below = DeterministicMath.ln(Math.nextDown(boundary));
            double at = DeterministicMath.ln(boundary);
            assertThat(at).isGreaterThanOrEqualTo(below).isGreaterThanOrEqualTo(previous);
            previous = at;
        }
    }
}
