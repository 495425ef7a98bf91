package dev.chatlab.scenarios;

import com.tngtech.archunit.lang.EvaluationResult;
import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code the simulator runs reads no wall clock and no unseeded randomness. The real engine
 * ({@code dev.chatlab.scenarios.real}) drives real processes in real time by design and is left out.
 */
class DeterminismTest {

    @Test
    void simulatedWorldAndSimRunReadNoWallClockAndNoUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.scenarios.world");
        DeterminismRules.assertDeterministic("dev.chatlab.scenarios.sim");
        DeterminismRules.assertDeterministic("dev.chatlab.scenarios.coarse");
    }

    @Test
    void scenarioModelAndLoaderReadNoWallClockAndNoUnseededRandomness() {
        EvaluationResult result = DeterminismRules.evaluate(Scenario.class, ScenarioLoader.class, RawScenario.class,
                Durations.class, ScenarioWords.class, YamlLocator.class, ScenarioException.class);
        assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
    }
}
