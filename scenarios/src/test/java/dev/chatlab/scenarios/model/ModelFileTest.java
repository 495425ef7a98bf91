package dev.chatlab.scenarios.model;

import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.sim.random.RandomStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
