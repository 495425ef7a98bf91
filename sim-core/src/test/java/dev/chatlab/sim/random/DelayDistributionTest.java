package dev.chatlab.sim.random;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DelayDistributionTest {

    private final RandomStream random = new RandomStream(5);

    private long[] samples(DelayDistribution d, int n) {
        return LongStream.range(0, n).map(i -> d.sampleMicros(random)).toArray();
    }

    @Test
    void shouldKeepUniformSamplesWithinTheirInclusiveBounds() {
        long[] s = samples(DelayDistribution.uniform(10, 12), 10_000);
        assertThat(Arrays.stream(s).boxed().toList()).allSatisfy(v -> assertThat(v).isBetween(10L, 12L));
        assertThat(Arrays.stream(s).distinct().count()).isEqualTo(3);
    }

    @Test
    void shouldCentreALogNormalOnItsMedian() {
        long[] s = samples(DelayDistribution.logNormal(40_000, 0.3), 20_001);
        Arrays.sort(s);
        assertThat((double) s[10_000]).isCloseTo(40_000, within(1_000.0));
    }

    @Test
    void shouldCombineAddScaleAndCap() {
        DelayDistribution d = DelayDistribution.constant(100).plus(DelayDistribution.constant(20)).times(2.0).cappedAt(200);
        assertThat(d.sampleMicros(random)).isEqualTo(200);
        assertThat(DelayDistribution.constant(100).times(1.5).sampleMicros(random)).isEqualTo(150);
    }

    @Test
    void shouldNeverDrawNegativeDelays() {
        assertThat(Arrays.stream(samples(DelayDistribution.normal(10, 100), 10_000)).boxed().toList()).allSatisfy(v -> assertThat(v).isNotNegative());
        assertThat(Arrays.stream(samples(DelayDistribution.pareto(10, 0.5), 10_000)).boxed().toList())
                .allSatisfy(v -> assertThat(v).isBetween(10L, (long) DelayDistribution.MAX_SAMPLE_MICROS));
        assertThat(samples(DelayDistribution.of(Distributions.normal(random, -50, 1)), 100)).containsOnly(0L);
    }

    @Test
    void shouldRejectMeaninglessParameters() {
        assertThatThrownBy(() -> DelayDistribution.constant(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DelayDistribution.uniform(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DelayDistribution.exponential(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
