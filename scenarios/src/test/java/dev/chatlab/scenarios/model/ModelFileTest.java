package dev.chatlab.scenarios.model;

import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.sim.random.RandomStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelFileTest {

    static final String NODE = """
            model: 1
            kind: node
            name: test-node
            measured:
              by: "a test"
              machine: {cores: 2}
            node:
              cores: 2
              accept_backlog: 64
              connect: {dist: fixed, us: 150}
              frame:
                send: {dist: lognormal, median_us: 110.0, sigma: 0.6, samples: 12000, ks: 0.03, mean_us: 130.5}
                ack: {dist: empirical, quantiles_us: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]}
              frame_default: {dist: fixed, us: 50}
              peer:
                submit: {dist: fixed, us: 40}
              peer_default: {dist: fixed, us: 30}
            """;

    @Test
    void shouldReadEveryKeyOfANodeModel() throws ScenarioException {
        ModelFile model = ModelFile.parse("models/t.yaml", NODE);
        assertThat(model.kind()).isEqualTo("node");
        assertThat(model.name()).isEqualTo("test-node");
        assertThat(model.measured()).containsEntry("by", "a test");
        NodeCosts costs = model.node();
        assertThat(costs.cores()).isEqualTo(2);
        assertThat(costs.acceptBacklog()).isEqualTo(64);
        assertThat(costs.connect()).isEqualTo(new ServiceTime.Fixed(150));
        assertThat(costs.frame("send")).isEqualTo(new ServiceTime.LogNormal(110.0, 0.6));
        assertThat(costs.frame("ping")).isEqualTo(new ServiceTime.Fixed(50));   // not listed: the default
        assertThat(costs.peer("submit")).isEqualTo(new ServiceTime.Fixed(40));
        assertThat(costs.peer("tousers")).isEqualTo(new ServiceTime.Fixed(30));
        assertThat(costs.source()).isEqualTo("models/t.yaml");
        assertThat(model.store()).isNull();
    }

    @Test
    void shouldReadAStoreModel() throws ScenarioException {
        ModelFile model = ModelFile.parse("models/pg.yaml", """
                model: 1
                kind: store
                store:
                  append: {dist: fixed, us: 900}
                  readrange: {dist: fixed, us: 300}
                  default: {dist: fixed, us: 500}
                """);
        assertThat(model.store().op("append")).isEqualTo(new ServiceTime.Fixed(900));
        assertThat(model.store().op("claim")).isEqualTo(new ServiceTime.Fixed(500));
        assertThat(model.store().concurrent()).isFalse();
        assertThat(model.node()).isNull();
    }

    @Test
    void shouldReadWhetherTheStoresOperationsQueue() throws ScenarioException {
        String file = """
                model: 1
                kind: store
                store:
                  queueing: %s
                  default: {dist: fixed, us: 500}
                """;
        assertThat(ModelFile.parse("m.yaml", file.formatted("none")).store().concurrent()).isTrue();
        assertThat(ModelFile.parse("m.yaml", file.formatted("one_at_a_time")).store().concurrent()).isFalse();
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", file.formatted("some")))
                .hasMessageContaining("m.yaml:4:")
                .hasMessageContaining("store.queueing: expected one of none, one_at_a_time, got 'some'");
    }

    @Test
    void shouldNameTheLineAndTheKeyOfAnUnknownFrameKind() {
        String text = NODE.replace("    ack: {dist", "    acks: {dist");
        assertThatThrownBy(() -> ModelFile.parse("models/t.yaml", text))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("models/t.yaml:13:")
                .hasMessageContaining("node.frame.acks: unknown key 'acks'; expected one of ")
                .hasMessageContaining("send");
    }

    @Test
    void shouldRefuseAnotherFormatVersion() {
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", NODE.replace("model: 1", "model: 2")))
                .hasMessage("m.yaml:1:8: model: expected format version 1, got '2'");
    }

    @Test
    void shouldRequireTheKindsSection() {
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", "model: 1\nkind: store\n"))
                .hasMessageContaining("expected 'store'");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", "model: 1\nkind: disk\n"))
                .hasMessage("m.yaml:2:7: kind: expected one of node, store, got 'disk'");
    }

    @Test
    void shouldSayWhatADistributionNeeds() {
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", NODE.replace("{dist: fixed, us: 150}", "{dist: fixed, median_us: 150}")))
                .hasMessageStartingWith("m.yaml:10:")
                .hasMessageContaining("node.connect.median_us: unknown key 'median_us'; expected one of");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", NODE.replace("sigma: 0.6", "sigma: -1")))
                .hasMessageStartingWith("m.yaml:12:")
                .hasMessageContaining("node.frame.send.sigma: expected a number of 0.0 or more, got '-1'");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", NODE.replace("20, 21]", "20]")))
                .hasMessageContaining("node.frame.ack.quantiles_us: expected a list of 21 quantiles");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", NODE.replace("19, 20, 21]", "19, 2, 21]")))
                .hasMessageContaining("node.frame.ack.quantiles_us[19]: expected quantiles that never decrease");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", NODE.replace("cores: 2\n  accept", "cores: 0\n  accept")))
                .hasMessageStartingWith("m.yaml:8:")
                .hasMessageContaining("node.cores: expected an integer from 1 to 1024, got '0'");
    }

    @Test
    void shouldReportYamlSyntaxErrorsWithTheirLine() {
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", "model: 1\nkind: [node\n"))
                .hasMessageStartingWith("m.yaml:3:1: not valid YAML: expected ',' or ']'");
    }

    @Test
    void shouldSampleTheEmpiricalDistributionBetweenItsQuantiles() {
        List<Double> q = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            q.add(i * 100.0);
        }
        ServiceTime empirical = new ServiceTime.Empirical(q);
        RandomStream random = new RandomStream(7);
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            samples.add(empirical.sampleMicros(random));
        }
        Collections.sort(samples);
        assertThat(samples.get(0)).isGreaterThanOrEqualTo(0);
        assertThat(samples.get(10_000)).isLessThanOrEqualTo(2_000);
        assertThat(samples.get(5_000)).isBetween(950L, 1_050L);   // a uniform over 0..2000: median 1000
    }

    @Test
    void shouldSampleTheTailBetweenItsOwnQuantilesNotEvenlyUpToTheMaximum() {
        // 95% of the samples from 1,000 to 1,950 us, p99 2,000 us, one outlier of 50 ms: the shape of an append.
        List<Double> q = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            q.add(1_000.0 + i * 50);
        }
        q.add(50_000.0);
        List<Double> tail = List.of(1_960.0, 1_970.0, 1_980.0, 2_000.0, 2_500.0, 5_000.0);
        RandomStream random = new RandomStream(7);
        List<Long> withTail = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        ServiceTime tailed = new ServiceTime.Empirical(q, tail);
        ServiceTime plain = new ServiceTime.Empirical(q);
        for (int i = 0; i < 100_000; i++) {
            withTail.add(tailed.sampleMicros(random));
            without.add(plain.sampleMicros(random));
        }
        Collections.sort(withTail);
        Collections.sort(without);
        assertThat(withTail.get(99_000)).isBetween(1_990L, 2_010L);
        assertThat(withTail.get(99_850)).isBetween(4_400L, 4_950L);   // 3/4 of the way from 2,500 to 5,000 us
        assertThat(withTail.get(50_000)).isBetween(1_480L, 1_520L);
        // Without its tail, the last 5% spread evenly to 50 ms: the p99 forty thousand microseconds too high.
        assertThat(without.get(99_000)).isGreaterThan(40_000L);
        double mean = withTail.stream().mapToLong(Long::longValue).average().orElseThrow();
        assertThat(tailed.meanMicros()).isCloseTo(mean, within(mean * 0.01));
        assertThat(((ServiceTime.Empirical) tailed).cdf(2_000)).isCloseTo(0.99, within(1e-9));
        assertThat(((ServiceTime.Empirical) tailed).cdf(1_000 + 50 * 9.5)).isCloseTo(0.475, within(1e-9));
        assertThat(tailed.words()).containsEntry("tail_us", tail);
    }

    @Test
    void shouldRefuseATailOutsideTheLastSegment() {
        String tailed = NODE.replace("19, 20, 21]", "19, 20, 21], tail_us: [20, 20.2, 20.4, 20.6, 20.8, 22]");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", tailed))
                .hasMessageContaining("node.frame.ack.tail_us[5]: expected a tail that never decreases, from the 95% quantile"
                        + " (20.0) to the maximum (21.0), got 22.0 after 20.8");
        String short_ = NODE.replace("19, 20, 21]", "19, 20, 21], tail_us: [20, 21]");
        assertThatThrownBy(() -> ModelFile.parse("m.yaml", short_))
                .hasMessageContaining("node.frame.ack.tail_us: expected a list of 6 quantiles");
    }

    @Test
    void shouldSampleALogNormalAroundItsMedian() {
        ServiceTime lognormal = new ServiceTime.LogNormal(200, 0.5);
        RandomStream random = new RandomStream(7);
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            samples.add(lognormal.sampleMicros(random));
        }
        Collections.sort(samples);
        assertThat(samples.get(5_000)).isBetween(190L, 210L);
    }
}
