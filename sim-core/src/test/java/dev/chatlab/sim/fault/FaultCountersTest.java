package dev.chatlab.sim.fault;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultCountersTest {

    @Test
    void shouldCountFaultsByNameAndListThemInNameOrder() {
        FaultCounters faults = new FaultCounters();
        faults.record(FaultCounters.PARTITION);
        faults.record(FaultCounters.CRASH);
        faults.record(FaultCounters.PARTITION);

        assertThat(faults.count(FaultCounters.PARTITION)).isEqualTo(2);
        assertThat(faults.count(FaultCounters.SLOW_DISK)).isZero();
        assertThat(faults.total()).isEqualTo(3);
        assertThat(faults.snapshot().keySet()).containsExactly("crash", "partition");
    }

    @Test
    void shouldRejectAnUnnamedFault() {
        assertThatThrownBy(() -> new FaultCounters().record("")).isInstanceOf(IllegalArgumentException.class);
    }
}
