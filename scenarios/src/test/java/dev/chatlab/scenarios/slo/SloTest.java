package dev.chatlab.scenarios.slo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioException;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SloTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The blocks a sim full run's summary has (trimmed): counts, latency, convergence, over_time. */
    private static final String SIM_FULL = """
            {"counts": {"messages": 1000, "acks": 998, "fails": 2, "indeterminate": 0, "delivers": 1996},
             "over_time": {"bucket": "500ms", "connects": [600, 0, 0, 40, 0], "connect_attempts": [600, 0, 900, 40, 0]},
             "latency_us": {"send_to_ack": {"count": 998, "p50_us": 40000, "p99_us": 190000, "p999_us": 2264828, "max_us": 2300000},
                            "send_to_deliver": {"count": 1996, "p50_us": 45000, "p99_us": 210000, "p999_us": 2260000, "max_us": 2400000}},
             "convergence": {"converged": true, "time_to_converge_us": 300000, "owed_at_end": {"deliveries": 1}}}
            """;

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void shouldParseTheMetricTheComparisonAndTheBoundInTheMetricsUnit() {
        Slo slo = Slo.parse("  p99( send_to_deliver ) <200ms ");
        assertThat(slo.metric().name()).isEqualTo("p99(send_to_deliver)");
        assertThat(slo.op()).isEqualTo(Slo.Op.LT);
        assertThat(slo.bound()).isEqualTo(200_000);
        assertThat(slo.text()).isEqualTo("p99( send_to_deliver ) <200ms");
        assertThat(Slo.parse("delivered_fraction >= 0.999").bound()).isEqualTo(0.999);
        assertThat(Slo.parse("peak(connect_rate) < 5000/s").bound()).isEqualTo(5000);
        assertThat(Slo.parse("fails <= 0").op()).isEqualTo(Slo.Op.LE);
        assertThat(Slo.parse("max(reconnect) < 1.5m").bound()).isEqualTo(90_000_000);
    }

    @Test
    void shouldListEveryMetricNameWhenOneIsUnknown() {
        assertThatThrownBy(() -> Slo.parse("p99(send_ack) < 1s"))
                .hasMessageStartingWith("unknown metric 'p99(send_ack)' in 'p99(send_ack) < 1s'; expected one of: ")
                .hasMessageContaining("p50|p90|p99|p999|max(send_to_ack|send_to_deliver|send_to_pull), p50|p99|p999|max(reconnect)")
                .hasMessageContaining("converge_time").hasMessageContaining("delivered_fraction")
                .hasMessageContaining("peak(connect_rate)");
        assertThatThrownBy(() -> Slo.parse("peak(connect_rate, per_node) < 5000/s"))
                .hasMessage("'peak(connect_rate, per_node)': per-node peaks are not measured by any engine yet;"
                        + " peak(connect_rate) is the whole cluster's");
    }

    @Test
    void shouldSayWhatABoundOfTheMetricsUnitLooksLike() {
        assertThatThrownBy(() -> Slo.parse("p99(send_to_ack) < 200"))
                .hasMessage("the bound of p99(send_to_ack): expected a duration such as 200ms or 1.5s, got '200'");
        assertThatThrownBy(() -> Slo.parse("delivered_fraction >= 99.9%"))
                .hasMessage("the bound of delivered_fraction: expected a fraction from 0 to 1 such as 0.999, got '99.9%'");
        assertThatThrownBy(() -> Slo.parse("peak(connect_rate) < 5000"))
                .hasMessageContaining("expected a rate such as 5000/s, got '5000'");
        assertThatThrownBy(() -> Slo.parse("fails = 0")).hasMessageContaining("expected METRIC OP BOUND with OP one of <, <=, >, >=");
        assertThatThrownBy(() -> Slo.parse("p99(send_to_ack) <")).hasMessageContaining("expected METRIC OP BOUND");
    }

    @Test
    void shouldJudgeEachMetricFromTheSummary() throws Exception {
        JsonNode summary = tree(SIM_FULL);
        assertThat(Slo.parse("p99(send_to_ack) < 200ms").judge(summary).met()).isTrue();
        SloResult missed = Slo.parse("p999(send_to_ack) < 1s").judge(summary);
        assertThat(missed.met()).isFalse();
        assertThat(missed.status()).isEqualTo("violated");
        assertThat(missed.measured()).isEqualTo(2_264_828);
        assertThat(missed.message()).isEqualTo("measured 2.265s, bound < 1s");
        assertThat(Slo.parse("converge_time < 30s").judge(summary).measured()).isEqualTo(300_000);
        assertThat(Slo.parse("delivered_fraction >= 0.999").judge(summary).measured()).isEqualTo(1996.0 / 1997);
        assertThat(Slo.parse("delivered_fraction >= 0.999").judge(summary).met()).isTrue();
        assertThat(Slo.parse("ack_fraction >= 0.999").judge(summary).met()).isFalse();
        assertThat(Slo.parse("fails <= 0").judge(summary).measured()).isEqualTo(2);
        // An equal value meets <= and misses <.
        assertThat(Slo.parse("max(send_to_deliver) <= 2.4s").judge(summary).met()).isTrue();
        assertThat(Slo.parse("max(send_to_deliver) < 2.4s").judge(summary).met()).isFalse();
    }

    @Test
    void shouldTakeThePeakRateAfterTheFirstSecondsLoginsPerSecondOfBucket() throws Exception {
        JsonNode summary = tree(SIM_FULL);
        // 500 ms buckets: the login bucket (600) and the one at 0.5 s are before 1 s; 40 at 1.5 s is 80/s.
        assertThat(Slo.parse("peak(connect_rate) < 100/s").judge(summary).measured()).isEqualTo(80);
        assertThat(Slo.parse("peak(connect_attempt_rate) < 100/s").judge(summary).measured()).isEqualTo(1800);
        JsonNode coarse = tree("{\"timeseries\": {\"interval_us\": 2000000, \"connects\": [5000, 10, 300]}}");
        assertThat(Slo.parse("peak(connect_rate) < 100/s").judge(coarse).measured()).isEqualTo(150);
        JsonNode real = tree("{\"reconnect_curve\": [{\"second\": 0, \"connects\": 250}, {\"second\": 7, \"connects\": 90}]}");
        assertThat(Slo.parse("peak(connect_rate) < 100/s").judge(real).measured()).isEqualTo(90);
    }

    @Test
    void shouldFailAnSloWhoseMetricWasNotMeasuredNeverPassIt() throws Exception {
        JsonNode summary = tree(SIM_FULL);
        SloResult reconnect = Slo.parse("max(reconnect) < 60s").judge(summary);
        assertThat(reconnect.met()).isFalse();
        assertThat(reconnect.status()).isEqualTo("not-measured");
        assertThat(reconnect.measured()).isNull();
        assertThat(reconnect.message()).isEqualTo("not measured (this run's summary has no reconnect latency; measured by: sim full,"
                + " sim coarse, real), bound < 60s");
        JsonNode noSamples = tree("{\"latency_us\": {\"send_to_pull\": {\"count\": 0, \"p99_us\": 0}}}");
        // A p99 of 0 over no samples would meet any bound: it must not.
        assertThat(Slo.parse("p99(send_to_pull) < 1s").judge(noSamples).message()).contains("no send_to_pull samples");
        assertThat(Slo.parse("p99(send_to_pull) < 1s").judge(noSamples).met()).isFalse();
        assertThat(Slo.parse("p90(send_to_ack) < 1s").judge(summary).message()).contains("does not report p90 of send_to_ack");
        JsonNode stuck = tree("{\"convergence\": {\"converged\": false, \"time_to_converge_us\": -1, \"line\": \"did not converge\"}}");
        assertThat(Slo.parse("converge_time < 30s").judge(stuck).met()).isFalse();
        assertThat(Slo.parse("converge_time < 30s").judge(stuck).message()).contains("the run did not converge");
        JsonNode coarse = tree("{\"convergence\": {\"modelled\": false, \"reason\": \"the coarse level keeps no device's"
                + " deliveries\"}}");
        assertThat(Slo.parse("converge_time < 30s").judge(coarse).message())
                .isEqualTo("not measured (the coarse level keeps no device's deliveries), bound < 30s");
        assertThat(Slo.parse("delivered_fraction >= 0.9").judge(coarse).met()).isFalse();
        assertThat(Slo.parse("ack_fraction > 0.5").judge(tree("{\"counts\": {\"messages\": 0, \"acks\": 0}}")).met()).isFalse();
    }

    @Test
    void shouldRenderOneConsoleLinePerSloAndNameTheMissedOnes() throws Exception {
        List<SloResult> results = RunSlos.judge(List.of(Slo.parse("p99(send_to_ack) < 200ms"),
                Slo.parse("p999(send_to_ack) < 1s")), tree(SIM_FULL));
        assertThat(RunSlos.render(results)).isEqualTo("""
                slo: 1 of 2 met
                  p99(send_to_ack) < 200ms  met: measured 190ms, bound < 200ms
                  p999(send_to_ack) < 1s    VIOLATED: measured 2.265s, bound < 1s
                FAILED: SLO not met: p999(send_to_ack) < 1s
                """);
        assertThat(RunSlos.render(List.of())).isEmpty();
    }

    @Test
    void shouldPointAtTheSloStringInTheFileWhenItCannotBeRead() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.parse("s.yaml", "s",
                "duration: 5s\nslo:\n  - p99(send_to_ack) < 1s\n  - 'p99(send_ack) < 1s'\n", List.of()));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.getMessage()).startsWith("s.yaml:4:5: slo[1]: unknown metric 'p99(send_ack)' in 'p99(send_ack) < 1s';"
                + " expected one of: p50|p90|p99|p999|max(");
        ScenarioException notAList = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.parse("s.yaml", "s",
                "duration: 5s\nslo: {p99: 1s}\n", List.of()));
        assertThat(notAList.getMessage()).isEqualTo("s.yaml:2:6: slo[0]: expected a single value (text)");
    }

    @Test
    void shouldKeepTheFilesSlosInItsOrderAndEchoThemInTheSettings() throws Exception {
        Scenario s = ScenarioLoader.parse("s.yaml", "s", "slo:\n  - fails <= 0\n  - converge_time < 30s\n", List.of());
        assertThat(s.slos()).extracting(Slo::text).containsExactly("fails <= 0", "converge_time < 30s");
        assertThat(s.settings().get("slo")).isEqualTo(List.of("fails <= 0", "converge_time < 30s"));
    }

    @Test
    void shouldDocumentEveryMetricWithItsUnitAndEngines() {
        for (SloMetric metric : SloMetric.all()) {
            assertThat(metric.engines()).as(metric.name()).isNotBlank();
            assertThat(metric.meaning()).as(metric.name()).isNotBlank();
            assertThat(SloMetric.named(metric.name())).isSameAs(metric);
        }
    }

    @Test
    void shouldBeListedEveryOneInTheScenarioDocs() throws Exception {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/scenarios.md"));
        String table = docs.substring(docs.indexOf("## SLOs"), docs.indexOf("## Overriding keys"));
        for (SloMetric metric : SloMetric.all()) {
            String name = metric.name();
            int open = name.indexOf('(');
            if (open > 0 && !name.startsWith("peak")) {
                assertThat(table).as(name).contains("`" + name.substring(0, open) + "`").contains("`(" + name.substring(open + 1));
            } else {
                assertThat(table).as(name).contains("| `" + name + "` | ");
            }
        }
    }
}
