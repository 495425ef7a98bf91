package dev.chatlab.sim.node;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.random.DelayDistribution;
import dev.chatlab.sim.random.RandomStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimDiskTest {

    private final Simulation sim = new Simulation();
    private final FaultCounters faults = new FaultCounters();
    private final SimDisk disk = new SimDisk(sim, new RandomStream(1), faults,
            new DiskProfile(DelayDistribution.constant(100), DelayDistribution.constant(40),
                    DelayDistribution.constant(2_000), 1_000_000_000L));

    @Test
    void shouldServeRequestsOneAtATimeInOrder() {
        assertThat(disk.submitWrite(1_000)).isEqualTo(101); // 100 us + 1 us of transfer
        assertThat(disk.submitRead(0)).isEqualTo(141);
        assertThat(disk.submitFsync()).isEqualTo(2_141);
        sim.runUntil(10_000);
        assertThat(disk.submitRead(0)).as("an idle disk starts at once").isEqualTo(10_040);
    }

    @Test
    void shouldMultiplyServiceTimeWhileSlowAndCountTheFault() {
        disk.slowDown(10);
        assertThat(disk.submitWrite(0)).isEqualTo(1_000);
        disk.restoreSpeed();
        assertThat(disk.submitWrite(0)).isEqualTo(1_100);
        assertThat(faults.count(FaultCounters.SLOW_DISK)).isEqualTo(1);
        assertThatThrownBy(() -> disk.slowDown(0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLoseOnlyUnsyncedBytesInACrash() {
        disk.submitWrite(100);
        disk.submitFsync();
        disk.submitWrite(30);
        disk.crash();

        assertThat(disk.lostBytes()).isEqualTo(30);
        assertThat(disk.unsyncedBytes()).isZero();
        assertThat(disk.bytesWritten()).isEqualTo(130);
        assertThat(disk.writes()).isEqualTo(2);
        assertThat(disk.fsyncs()).isEqualTo(1);
    }
}
