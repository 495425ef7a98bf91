package dev.chatlab.experiments;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The intervals and the paired test against values worked out by hand: t quantiles from tables
 * (t(0.975, 2) = 4.302653, t(0.975, 3) = 3.182446) and the paired p-value from the closed form of
 * Student's distribution with 3 degrees of freedom,
 * {@code F(t) = 1/2 + (1/pi) (t/sqrt3 / (1 + t^2/3) + atan(t/sqrt3))}.
 */
class StatsTest {

    @Test
    void shouldGiveTheMeanAndTheStudentTIntervalOfASample() {
        Stats.Interval i = Stats.interval(new double[] {10, 12, 11}, 0.95);
        assertThat(i.n()).isEqualTo(3);
        assertThat(i.mean()).isEqualTo(11.0);
        assertThat(i.sd()).isCloseTo(1.0, within(1e-12));
        // 4.302653 * 1 / sqrt(3)
        assertThat(i.halfWidth()).isCloseTo(2.484138, within(1e-6));
        assertThat(i.low()).isCloseTo(8.515862, within(1e-6));
        assertThat(i.high()).isCloseTo(13.484138, within(1e-6));
        assertThat(i.within(0.23)).isTrue();
        assertThat(i.within(0.22)).isFalse();
    }

    @Test
    void shouldPairTheDifferencesSeedBySeed() {
        // differences 1, 2, 0, 2: mean 1.25, sd sqrt(2.75/3) = 0.957427, t = 2.611165
        Stats.Paired p = Stats.paired(new double[] {1, 2, 3, 4}, new double[] {2, 4, 3, 6}, 0.95);
        assertThat(p.difference().mean()).isCloseTo(1.25, within(1e-12));
        assertThat(p.difference().sd()).isCloseTo(0.957427, within(1e-6));
        // 3.182446 * 0.957427 / sqrt(4)
        assertThat(p.difference().halfWidth()).isCloseTo(1.523480, within(1e-6));
        assertThat(p.pValue()).isCloseTo(0.079605, within(1e-6));
    }

    @Test
    void shouldSayNothingAboutSpreadFromOneRunAndBeCertainOfAShiftWithoutSpread() {
        Stats.Interval one = Stats.interval(new double[] {7}, 0.95);
        assertThat(one.mean()).isEqualTo(7.0);
        assertThat(one.halfWidth()).isNaN();
        assertThat(one.within(0.5)).isFalse();
        assertThat(Stats.interval(new double[0], 0.95).n()).isZero();
        assertThat(Stats.paired(new double[] {1}, new double[] {2}, 0.95).pValue()).isNaN();
        // Common random numbers make identical variants differ by exactly 0 on every seed.
        Stats.Paired same = Stats.paired(new double[] {1, 5, 9}, new double[] {1, 5, 9}, 0.95);
        assertThat(same.pValue()).isEqualTo(1.0);
        assertThat(same.difference().halfWidth()).isEqualTo(0.0);
        assertThat(Stats.paired(new double[] {1, 5, 9}, new double[] {3, 7, 11}, 0.95).pValue()).isEqualTo(0.0);
    }
}
