package dev.chatlab.experiments;

import dev.chatlab.scenarios.ScenarioException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --vary} as written: lists, YAML values with commas of their own, ranges, and what a bad one is told. */
class VaryAxisTest {

    @Test
    void shouldListValuesAndKeepCommasInsideYamlValues() throws Exception {
        VaryAxis a = VaryAxis.parse("client.reconnect=immediate, jitter,backoff");
        assertThat(a.key()).isEqualTo("client.reconnect");
        assertThat(a.values()).containsExactly("immediate", "jitter", "backoff");
        assertThat(a.isNumeric()).isFalse();
        VaryAxis faults = VaryAxis.parse("faults=[{at: 2s, kill: n1}],[]");
        assertThat(faults.values()).containsExactly("[{at: 2s, kill: n1}]", "[]");
        VaryAxis nodes = VaryAxis.parse("topology.nodes=3,5,8");
        assertThat(nodes.numeric()).containsExactly(3, 5, 8);
        assertThat(nodes.duration()).isFalse();
    }

    @Test
    void shouldSpreadARangeEvenlyOverDurationsAndNumbers() throws Exception {
        VaryAxis window = VaryAxis.parse("client.jitter_window=0s..30s/7");
        assertThat(window.values()).containsExactly("0s", "5s", "10s", "15s", "20s", "25s", "30s");
        assertThat(window.duration()).isTrue();
        assertThat(window.numeric()).containsExactly(0, 5, 10, 15, 20, 25, 30);
        assertThat(VaryAxis.parse("x=0s..1s/4").values()).containsExactly("0s", "333333us", "666667us", "1s");
        assertThat(VaryAxis.parse("workload.messages_per_second=1..2/3").values()).containsExactly("1", "1.5", "2");
        assertThat(VaryAxis.parse("topology.nodes=2..10/5").values()).containsExactly("2", "4", "6", "8", "10");
    }

    @Test
    void shouldMakeTheMatrixEveryCombinationWithTheLastAxisFastest() throws Exception {
        List<Variant> m = Variant.matrix(List.of(VaryAxis.parse("a=1,2"), VaryAxis.parse("b=x,y,z")));
        assertThat(m).hasSize(6);
        assertThat(m.get(0).label()).isEqualTo("a=1 b=x");
        assertThat(m.get(1).label()).isEqualTo("a=1 b=y");
        assertThat(m.get(5).label()).isEqualTo("a=2 b=z");
        assertThat(m.get(5).overrides()).containsExactly("a=2", "b=z");
        assertThat(m.get(5).folder()).isEqualTo("v6-2-z");
        assertThat(Variant.matrix(List.of())).hasSize(1);
    }

    @Test
    void shouldNameTheFlagAndSayWhatWasExpected() {
        assertBad("client.reconnect", "--vary client.reconnect: expected KEY=V1,V2[,...] or KEY=LO..HI/N");
        assertBad("client.reconnect=", "--vary client.reconnect=: expected values after '='");
        assertBad("client reconnect=a,b", "expected KEY as a scenario key by its path");
        assertBad("a=x,,y", "--vary a=x,,y: an empty value in the list");
        assertBad("a=x,x", "the value 'x' is given twice");
        assertBad("a=[x,y", "a bracket or brace is not closed");
        assertBad("a=30s..0s/3", "a range goes from a lower to a higher value, got 30s..0s");
        assertBad("a=0s..30s/1", "a range takes from 2 to 100 values (the N of LO..HI/N), got 1");
        assertBad("a=0s..30s/5000", "got 5000");
        assertBad("a=0s..5/3", "LO and HI of a range are both plain numbers or both durations");
    }

    private static void assertBad(String argument, String message) {
        assertThatThrownBy(() -> VaryAxis.parse(argument)).isInstanceOf(ScenarioException.class).hasMessageContaining(message);
    }
}
