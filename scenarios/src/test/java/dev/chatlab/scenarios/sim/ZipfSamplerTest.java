package dev.chatlab.scenarios.sim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZipfSamplerTest {

    @Test
    void shouldDrawRanksInProportionToOneOverRankToTheExponent() {
        ZipfSampler zipf = new ZipfSampler(10, 1.0);
        SplittableRandom random = new SplittableRandom(1);
        int[] count = new int[11];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            count[zipf.sample(random)]++;
        }
        double h = 0;
        for (int k = 1; k <= 10; k++) {
            h += 1.0 / k;
        }
        for (int k = 1; k <= 10; k++) {
            assertThat((double) count[k] / n).as("rank %d", k).isCloseTo(1.0 / k / h, org.assertj.core.data.Offset.offset(0.005));
        }
        assertThat(count[0]).isZero();
    }

    @Test
    void shouldAlwaysDrawTheOnlyRankOfAOneRankZipf() {
        ZipfSampler zipf = new ZipfSampler(1, 2.0);
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 1_000; i++) {
            assertThat(zipf.sample(random)).isEqualTo(1);
        }
    }

    @Test
    void shouldRejectNoRanksAndNegativeExponents() {
        assertThatThrownBy(() -> new ZipfSampler(0, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ZipfSampler(5, -1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
