package dev.chatlab.scenarios;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The optional workload shapes in a file: diurnal, user_activity, group_sizes, think_time. */
class ScenarioWorkloadShapesLoaderTest {

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioLoader.parse("test.yaml", "test", text);
    }

    private static String failure(String text) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> parse(text));
        assertThat(e).as("expected %s to be refused", text).isNotNull();
        return e.getMessage();
    }

    @Test
    void shouldDefaultToAConstantRateUniformSendersFixedSizesAndNoThinkTime() throws ScenarioException {
        Scenario s = parse("duration: 5s\n");
        assertThat(s.workload().diurnal()).isEqualTo(Scenario.Diurnal.none());
        assertThat(s.workload().userActivity()).isEqualTo(Scenario.Activity.uniform());
        assertThat(s.workload().thinkTimeMicros()).isZero();
        assertThat(s.population().groupSizes()).isEqualTo(Scenario.GroupSizes.fixed());
        assertThat(s.workload()).isEqualTo(new Scenario.Workload(50, 0.2, 0.1, false, 0, 2_000_000));
    }

    @Test
    void shouldReadEveryShape() throws ScenarioException {
        Scenario s = parse("""
                population:
                  users: 50
                  group_sizes: {distribution: zipf, exponent: 1.3, max: 20}
                workload:
                  diurnal: {amplitude: 0.7, period: 4s}
                  user_activity: {distribution: zipf, exponent: 1.1}
                  think_time: 300ms
                """);
        assertThat(s.population().groupSizes()).isEqualTo(Scenario.GroupSizes.zipf(1.3, 20));
        assertThat(s.workload().diurnal()).isEqualTo(new Scenario.Diurnal(0.7, 4_000_000));
        assertThat(s.workload().userActivity()).isEqualTo(Scenario.Activity.zipf(1.1));
        assertThat(s.workload().thinkTimeMicros()).isEqualTo(300_000);
        assertThat(s.settings().get("workload").toString())
                .contains("diurnal={amplitude=0.7, period=4s}", "user_activity={distribution=zipf, exponent=1.1}",
                        "think_time=300ms");
    }

    @Test
    void shouldReadAWarmUpAndRefuseOneThatReachesTheQuiesce() throws ScenarioException {
        Scenario s = parse("duration: 30s\nquiesce_at: 25s\nworkload:\n  warmup: 8s\n");
        assertThat(s.workload().warmupMicros()).isEqualTo(8_000_000);
        assertThat(s.settings().get("workload").toString()).contains("warmup=8s");
        assertThat(parse("duration: 5s\n").settings().get("workload").toString()).doesNotContain("warmup");
        assertThat(failure("duration: 30s\nquiesce_at: 25s\nworkload:\n  warmup: 25s\n"))
                .contains("workload.warmup").contains("before quiesce_at (25s)");
        assertThat(failure("workload:\n  warmup: soon\n")).contains("workload.warmup");
    }

    @Test
    void shouldReadTheWordFormsWithDefaultExponents() throws ScenarioException {
        Scenario s = parse("population: {group_sizes: fixed}\nworkload: {user_activity: zipf}\n");
        assertThat(s.population().groupSizes()).isEqualTo(Scenario.GroupSizes.fixed());
        assertThat(s.workload().userActivity()).isEqualTo(Scenario.Activity.zipf(1.0));
        assertThat(parse("workload: {user_activity: uniform}\n").workload().userActivity())
                .isEqualTo(Scenario.Activity.uniform());
    }

    @Test
    void shouldRejectAnAmplitudeAboveOne() {
        assertThat(failure("workload:\n  diurnal: {amplitude: 1.5, period: 10s}\n")).isEqualTo(
                "test.yaml:2:24: workload.diurnal.amplitude: expected a fraction of the rate from 0 to 1, got 1.5");
    }

    @Test
    void shouldRejectADiurnalWithoutAPeriod() {
        assertThat(failure("workload:\n  diurnal: {amplitude: 0.5}\n"))
                .startsWith("test.yaml:2:12: workload.diurnal: expected 'amplitude' (0 to 1) and 'period'");
    }

    @Test
    void shouldRejectAZeroPeriod() {
        assertThat(failure("workload:\n  diurnal: {amplitude: 0.5, period: 0s}\n"))
                .isEqualTo("test.yaml:2:37: workload.diurnal.period: expected a duration above 0, got '0s'");
    }

    @Test
    void shouldRejectAnUnknownKeyInADiurnal() {
        assertThat(failure("workload:\n  diurnal: {amplitude: 0.5, period: 1s, phase: 2s}\n"))
                .isEqualTo("test.yaml:2:41: unknown key 'phase' in workload.diurnal; expected one of: amplitude, period");
    }

    @Test
    void shouldRejectAnUnknownActivityListingTheKnownOnes() {
        assertThat(failure("workload:\n  user_activity: pareto\n")).isEqualTo(
                "test.yaml:2:18: workload.user_activity: expected one of uniform, zipf, got 'pareto'");
    }

    @Test
    void shouldRejectAnUnknownDistributionInAMappingAtItsValue() {
        assertThat(failure("population:\n  group_sizes: {distribution: pareto, max: 5}\n")).isEqualTo(
                "test.yaml:2:31: population.group_sizes.distribution: expected one of fixed, zipf, got 'pareto'");
    }

    @Test
    void shouldRejectAShapeWithoutItsDistribution() {
        assertThat(failure("population:\n  group_sizes: {max: 5}\n")).isEqualTo(
                "test.yaml:2:16: population.group_sizes: expected 'distribution' (one of fixed, zipf)");
    }

    @Test
    void shouldRejectANonPositiveZipfExponent() {
        assertThat(failure("workload:\n  user_activity: {distribution: zipf, exponent: 0}\n")).isEqualTo(
                "test.yaml:2:49: workload.user_activity.exponent: expected a Zipf exponent above 0 and at most 10, got 0.0");
    }

    @Test
    void shouldRejectAMaxOnUserActivity() {
        assertThat(failure("workload:\n  user_activity: {distribution: zipf, max: 4}\n"))
                .startsWith("test.yaml:2:44: workload.user_activity.max: belongs to population.group_sizes only");
    }

    @Test
    void shouldRejectZipfGroupSizesWithoutAMax() {
        assertThat(failure("population:\n  group_sizes: zipf\n"))
                .startsWith("test.yaml:2:16: population.group_sizes: expected 'max', the largest chat size");
    }

    @Test
    void shouldRejectAMaxGroupSizeAboveTheUsers() {
        assertThat(failure("population:\n  users: 10\n  group_sizes: {distribution: zipf, max: 11}\n")).isEqualTo(
                "test.yaml:3:42: population.group_sizes.max: expected an integer from 2 to 10, got 11");
    }

    @Test
    void shouldRejectAnExponentOnFixedGroupSizes() {
        assertThat(failure("population:\n  group_sizes: {distribution: fixed, exponent: 2}\n"))
                .isEqualTo("test.yaml:2:48: population.group_sizes.exponent: belongs to 'distribution: zipf' only");
    }

    @Test
    void shouldRejectANegativeThinkTime() {
        assertThat(failure("workload:\n  think_time: -1s\n"))
                .isEqualTo("test.yaml:2:15: workload.think_time: expected a duration from 0 to 24h, got '-1s'");
    }

    @Test
    void shouldRejectAThinkTimeWithoutAUnit() {
        assertThat(failure("workload:\n  think_time: 5\n")).startsWith("test.yaml:2:15: workload.think_time: expected a duration");
    }

    @Test
    void shouldRejectTheShapesOnTheCoarseLevel() {
        assertThat(failure("level: coarse\nworkload:\n  think_time: 1s\n"))
                .isEqualTo("test.yaml:3:15: workload.think_time: applies to 'level: full' only");
    }
}
