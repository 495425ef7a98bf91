package dev.chatlab.scenarios.real;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FleetLayoutTest {

    private final RealRun.Options defaults = RealRun.Options.defaults();

    @Test
    void shouldKeepASmallFleetInTheRunsProcess() {
        FleetLayout layout = FleetLayout.decide(500, defaults);

        assertThat(layout.inProcess()).isTrue();
        assertThat(layout.processes()).isEqualTo(1);
        assertThat(layout.describe()).isEqualTo("500 devices in this process");
    }

    @Test
    void shouldMoveAFleetTheProxiesCouldNotHoldToOneWorker() {
        FleetLayout layout = FleetLayout.decide(FleetLayout.IN_PROCESS_DEVICES_MAX + 1, defaults);

        assertThat(layout.inProcess()).isFalse();
        assertThat(layout.describe()).isEqualTo("6001 devices in 1 worker process");
    }

    @Test
    void shouldSpreadMoreDevicesThanOneProcessHoldsOverSeveralWorkers() {
        assertThat(FleetLayout.decide(25_000, defaults).processes()).isEqualTo(2);
        assertThat(FleetLayout.decide(25_000, defaults.withSocketsPerProcess(10_000)).processes()).isEqualTo(3);
    }

    @Test
    void shouldObeyAForcedProcessCount() {
        assertThat(FleetLayout.decide(100, defaults.withFleetProcesses(2)).describe()).isEqualTo("100 devices in 2 worker processes");
        assertThat(FleetLayout.decide(10_000, defaults.withFleetProcesses(1)).inProcess()).isTrue();
    }
}
