package dev.chatlab.reference.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorstWindowsTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldListTheSlowestWindowsAboveTheFloorSlowestFirstWithTheirClockTime() {
        long start = 5_000 * MS;
        // 00:00:10.000 UTC on 1 January 1970: windows start there, 100 ms apart.
        WorstWindows windows = new WorstWindows(start, 10_000, 2);
        windows.record(start + 50 * MS, 30_000);        // window 0
        windows.record(start + 60 * MS, 12_000);        // window 0, not its worst
        windows.record(start + 1_250 * MS, 80_000);     // window 12
        windows.record(start + 1_999 * MS, 25_000);     // window 19
        windows.record(start + 700 * MS, 5_000);        // window 7, under the floor
        windows.record(start - 10 * MS, 999_000);       // before the round: not counted
        windows.record(start + 60_000 * MS, 999_000);   // long after it: not counted

        assertThat(windows.worst(2, 20_000)).containsExactly(
                "00:00:11.200 UTC (+1.2 s): 80.0 ms",
                "00:00:10.000 UTC (+0.0 s): 30.0 ms");
        assertThat(windows.worst(10, 20_000)).hasSize(3).last().isEqualTo("00:00:11.900 UTC (+1.9 s): 25.0 ms");
    }
}
