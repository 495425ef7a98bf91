package dev.chatlab.chaos;

import dev.chatlab.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FaultInjectorTest {

    private final Simulation sim = new Simulation();
    private final RecordingTarget world = new RecordingTarget();
    private final FaultInjector injector = new FaultInjector(sim, world);

    @Test
    void shouldFireEachFaultAtItsTimeAndUndoTimedOnesAfterTheirDuration() {
        injector.schedule(FaultPlan.empty()
                .at(2_000, new Fault.Kill("n2", 1_000))
                .at(1_000, new Fault.Partition(List.of(List.of("n1"), List.of("n2", "n3")), 500)));
        sim.runUntil(1_000);
        assertThat(world.log).containsExactly("partition [[n1], [n2, n3]]");
        sim.runUntil(10_000);
        assertThat(world.log).containsExactly("partition [[n1], [n2, n3]]", "heal 1", "kill n2", "restart n2");
        assertThat(injector.ledger().injected("kill")).isEqualTo(1);
        assertThat(injector.ledger().injected("partition")).isEqualTo(1);
        assertThat(injector.ledger().injected("restart")).isZero();   // a recovery, not a planned restart
        assertThat(injector.ledger().toMap().get("recoveries")).isEqualTo(Map.of("heal", 1L, "restart", 1L));
    }

    @Test
    void shouldCountAFaultThatCannotApplyAsSkippedWithItsReason() {
        injector.schedule(FaultPlan.empty()
                .at(1_000, new Fault.Kill("n1", 0))
                .at(2_000, new Fault.Kill("n1", 0))
                .at(3_000, new Fault.MassDisconnect("n1")));
        sim.run();
        assertThat(injector.ledger().planned("kill")).isEqualTo(2);
        assertThat(injector.ledger().injected("kill")).isEqualTo(1);
        assertThat(injector.ledger().skipped("kill")).isEqualTo(1);
        assertThat(injector.ledger().skipped("mass-disconnect")).isEqualTo(1);
        assertThat(injector.ledger().neverFired()).containsExactly("mass-disconnect");
        @SuppressWarnings("unchecked")
        Map<String, Long> reasons = (Map<String, Long>) injector.ledger().toMap().get("skip_reasons");
        assertThat(reasons).containsEntry("kill: node already down", 1L).containsEntry("mass-disconnect: node down", 1L);
    }

    @Test
    void shouldFireNothingOnceTheWorldHasQuiesced() {
        injector.schedule(FaultPlan.empty().at(5_000, new Fault.ClockSkew("n1", -1_000)));
        sim.schedule(4_000, () -> world.quiesced = true);
        sim.run();
        assertThat(world.log).isEmpty();
        assertThat(injector.ledger().skipped("clock-skew")).isEqualTo(1);
        assertThat(injector.ledger().injectedTotal()).isZero();
    }

    @Test
    void shouldListEveryKindInTheLedgerEvenThoseThatNeverFired() {
        injector.schedule(FaultPlan.empty().at(0, new Fault.SlowDisk(5, 100)));
        sim.run();
        @SuppressWarnings("unchecked")
        Map<String, Object> byKind = (Map<String, Object>) injector.ledger().toMap().get("by_kind");
        assertThat(byKind.keySet()).containsExactlyElementsOf(Fault.KINDS);
        assertThat(byKind.get("slow-disk")).isEqualTo(Map.of("planned", 1L, "injected", 1L, "skipped", 0L));
        assertThat(byKind.get("kill")).isEqualTo(Map.of("planned", 0L, "injected", 0L, "skipped", 0L));
        assertThat(world.log).containsExactly("slow disk 5.0", "restore disk");
    }
}
