package dev.chatlab.chaos;

import com.tngtech.archunit.lang.EvaluationResult;
import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismTest {

    /** The simulator runs these; the real-cluster injectors under {@code chaos.real} act in wall time by design. */
    @Test
    void simulationFaultCodeReadsNoWallClockAndNoUnseededRandomness() {
        EvaluationResult result = DeterminismRules.evaluate(Fault.class, FaultPlan.class, FaultPlan.Scheduled.class,
                FaultPackages.class, Swarm.class, Swarm.Mix.class, FaultInjector.class, FaultLedger.class, ChaosTarget.class);
        assertThat(result.hasViolation()).as(result.getFailureReport().toString()).isFalse();
    }
}
