package dev.chatlab.experiments.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ServiceTimeFitTest {

    /** n values at the log-normal's own quantiles: a sample with no noise to blame. */
    private static double[] lognormal(double median, double sigma, int n) {
        NormalDistribution z = new NormalDistribution(null, 0, 1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = median * Math.exp(sigma * z.inverseCumulativeProbability((i + 0.5) / n));
        }
        return out;
    }

    private static long[] ones(int n) {
        long[] c = new long[n];
        Arrays.fill(c, 1);
        return c;
    }

    @Test
    void shouldRecoverALogNormalAndSayItFits() {
        ServiceTimeFit f = ServiceTimeFit.of(lognormal(120, 0.6, 5_000), ones(5_000));
        assertThat(f.samples()).isEqualTo(5_000);
        assertThat(f.medianUs()).isCloseTo(120, within(1.0));
        assertThat(f.sigma()).isCloseTo(0.6, within(0.01));
        assertThat(f.ksLognormal()).isLessThan(0.01);
        assertThat(f.lognormalFits()).isTrue();
        assertThat(f.quantilesUs()).hasSize(21);
        assertThat(f.quantilesUs()[10]).isCloseTo(120, within(1.0));
        assertThat(ModelFile.dist(f)).startsWith("{dist: lognormal, median_us: 120.").contains("samples: 5000");
    }

    @Test
    void shouldWriteTheQuantilesWhenTheMeasurementsAreNotLogNormal() {
        // Two modes: a fast path and a slow one, as a cache hit and a miss would be.
        ServiceTimeFit f = ServiceTimeFit.of(new double[] {100, 1_000}, new long[] {500, 500});
        assertThat(f.ksLognormal()).isGreaterThan(0.3);
        assertThat(f.lognormalFits()).isFalse();
        assertThat(f.quantilesUs()[0]).isEqualTo(100);
        assertThat(f.quantilesUs()[9]).isEqualTo(100);
        assertThat(f.quantilesUs()[11]).isEqualTo(1_000);
        assertThat(f.quantilesUs()[20]).isEqualTo(1_000);
        assertThat(ModelFile.dist(f)).startsWith("{dist: empirical, quantiles_us: [100.0, ");
    }

    @Test
    void shouldMeasureTheTailSoThatTheModelsP99IsTheMeasuredOne() throws Exception {
        // 10,000 appends: 9,900 from 1,000 to 1,990 us, 90 at 3 ms and ten outliers of 50 ms.
        double[] values = new double[102];
        long[] counts = new long[102];
        for (int i = 0; i < 100; i++) {
            values[i] = 1_000 + i * 10;
            counts[i] = 99;
        }
        values[100] = 3_000;
        counts[100] = 90;
        values[101] = 50_000;
        counts[101] = 10;
        ServiceTimeFit f = ServiceTimeFit.of(values, counts);
        assertThat(f.lognormalFits()).isFalse();
        assertThat(f.tailUs()).containsExactly(1_960, 1_970, 1_980, 1_990, 3_000, 3_000);
        assertThat(f.quantilesUs()[20]).isEqualTo(50_000);
        String yaml = ModelFile.store("t", new ModelFile.Provenance("chatlab calibrate", "2026-12-05T10:00:00Z", 2, "cpu",
                "17", "Linux", "postgres"), Map.of("append", f), f);
        assertThat(yaml).contains("tail_us: [1960.0, 1970.0, 1980.0, 1990.0, 3000.0, 3000.0]");
        // The simulator reads it back and draws a p99 near the measured one, not the old interpolation's 30 ms.
        dev.chatlab.scenarios.model.ServiceTime append = dev.chatlab.scenarios.model.ModelFile.parse("t.yaml", yaml)
                .store().op("append");
        dev.chatlab.sim.random.RandomStream random = new dev.chatlab.sim.random.RandomStream(3);
        long[] draws = new long[20_000];
        for (int i = 0; i < draws.length; i++) {
            draws[i] = append.sampleMicros(random);
        }
        Arrays.sort(draws);
        assertThat(draws[19_800]).isBetween(1_900L, 2_300L);
    }

    @Test
    void shouldRefuseNothingMeasured() {
        assertThatThrownBy(() -> ServiceTimeFit.of(new double[] {5}, new long[] {0})).hasMessageContaining("nothing");
    }

    @Test
    void shouldWriteANodeModelThatParsesBackWithItsFits() {
        ServiceTimeFit send = ServiceTimeFit.of(lognormal(150, 0.5, 1_000), ones(1_000));
        ServiceTimeFit hello = ServiceTimeFit.of(new double[] {100, 1_000}, new long[] {5, 5});
        Map<String, ServiceTimeFit> frames = new TreeMap<>(Map.of("send", send, "hello", hello));
        ModelFile.Provenance p = new ModelFile.Provenance("chatlab calibrate --nodes 1", "2026-12-05T10:00:00Z", 2,
                "Some \"CPU\"", "17.0.9", "Linux 6.1", "postgres");
        String yaml = ModelFile.node("calibrated-node", p, 2, 4096, send, frames, send, Map.of(), null);
        JsonNode back = ModelFile.parse(yaml);
        assertThat(back.path("kind").asText()).isEqualTo("node");
        assertThat(back.path("measured").path("machine").path("cpu").asText()).isEqualTo("Some \"CPU\"");
        assertThat(back.path("node").path("frame").path("send").path("dist").asText()).isEqualTo("lognormal");
        assertThat(back.path("node").path("frame").path("send").path("samples").asLong()).isEqualTo(1_000);
        assertThat(back.path("node").path("frame").path("hello").path("quantiles_us")).hasSize(21);
        assertThat(back.path("node").path("accept_backlog").asInt()).isEqualTo(4096);
        String store = ModelFile.store("calibrated-postgres", p, Map.of("append", send), send);
        assertThat(ModelFile.parse(store).path("store").path("append").path("median_us").asDouble()).isCloseTo(150, within(2.0));
    }

    @Test
    void shouldNameAMalformedDistribution() {
        assertThatThrownBy(() -> ModelFile.parse("model: 1\nkind: store\nstore:\n  append: {dist: lognormal, median_us: 3}\n"))
                .hasMessageContaining("store.append");
        assertThatThrownBy(() -> ModelFile.parse("model: 2\nkind: store\n")).hasMessageContaining("model: 1");
    }
}
