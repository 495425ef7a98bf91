package dev.chatlab.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultPlanTest {

    private static final List<String> NODES = List.of("n1", "n2", "n3", "n4");

    @Test
    void shouldOrderComposedPlansByTimeKeepingWrittenOrderOnTies() {
        FaultPlan plan = FaultPlan.empty().at(3_000, new Fault.Restart("n1"))
                .plus(FaultPlan.empty().at(1_000, new Fault.Kill("n1", 0)).at(3_000, new Fault.Heal()));
        assertThat(plan.faults()).extracting(s -> s.fault().kind()).containsExactly("kill", "restart", "heal");
    }

    @Test
    void shouldBuildAKillWithItsRestart() {
        FaultPlan plan = FaultPackages.killAndRestart("n2", 1_000, 500);
        assertThat(plan.faults()).containsExactly(
                new FaultPlan.Scheduled(1_000, new Fault.Kill("n2", 0), "kill-and-restart"),
                new FaultPlan.Scheduled(1_500, new Fault.Restart("n2"), "kill-and-restart"));
    }

    @Test
    void shouldSplitNodesIntoHalvesForAPartition() {
        Fault f = FaultPackages.partitionHalves(NODES, 0, 100).faults().get(0).fault();
        assertThat(f).isEqualTo(new Fault.Partition(List.of(List.of("n1", "n2"), List.of("n3", "n4")), 100));
    }

    @Test
    void shouldRestartEveryNodeInTurn() {
        FaultPlan plan = FaultPackages.rollingRestarts(NODES, 0, 1_000, 200);
        assertThat(plan.size()).isEqualTo(8);
        assertThat(plan.faults().get(7)).isEqualTo(new FaultPlan.Scheduled(3_200, new Fault.Restart("n4"), "kill-and-restart"));
    }

    @Test
    void shouldCutOneNodeOneWayFromAllOthers() {
        Fault f = FaultPackages.isolateOneWay("n3", NODES, 0, 10).faults().get(0).fault();
        assertThat(f).isEqualTo(new Fault.OneWayCut(List.of("n3"), List.of("n1", "n2", "n4"), 10));
    }

    @Test
    void shouldRejectAPartitionWithOneSideAndAFaultBeforeZero() {
        assertThatThrownBy(() -> new Fault.Partition(List.of(List.of("n1")), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.empty().at(-1, new Fault.Heal())).isInstanceOf(IllegalArgumentException.class);
    }
}
