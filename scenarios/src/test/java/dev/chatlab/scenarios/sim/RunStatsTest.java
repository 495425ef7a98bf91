package dev.chatlab.scenarios.sim;

import dev.chatlab.core.client.ClientDevice;
import dev.chatlab.core.history.HistoryEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunStatsTest {

    @Test
    void shouldTimeEachLostConnectionUntilTheDeviceIsBackButNotAUserWhoWentOfflineOnPurpose() {
        RunStats stats = new RunStats(1_000_000);
        stats.accept(new HistoryEvent.Connect(0, "u1", "d1", "n1"));
        stats.accept(new HistoryEvent.Connect(0, "u2", "d1", "n2"));
        stats.accept(new HistoryEvent.Disconnect(5_000_000, "u1", "d1", "node n1 died"));
        stats.accept(new HistoryEvent.Disconnect(5_000_000, "u2", "d1", ClientDevice.WENT_OFFLINE));
        stats.accept(new HistoryEvent.Connect(6_500_000, "u1", "d1", "n2"));
        stats.accept(new HistoryEvent.Connect(9_000_000, "u2", "d1", "n2"));
        // The first connect of a device is a login, not a reconnect; u2 chose to be away for 4 s.
        assertThat(stats.reconnectTime()).containsEntry("count", 1).containsEntry("max_us", 1_500_000L);
    }
}
