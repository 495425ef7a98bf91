package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchScenarioCommandTest {

    @Test
    void shouldTakeThePeakHeapFromTheLargestOccupancyBeforeAnyCollection(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, """
                [0.010s][info][gc] Using G1
                [0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.112ms
                [1.204s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 131M->40M(256M) 9.001ms
                [2.301s][info][gc] GC(2) Pause Young (Concurrent Start) (G1 Humongous Allocation) 77M->41M(256M) 3.0ms
                """);
        assertThat(BenchScenarioCommand.peakHeapMiB(log)).isEqualTo(131);
    }

    @Test
    void shouldRefuseFewerThanThreeRunsAndAMissingFile(@TempDir Path dir) {
        assertThat(Chatlab.execute("bench", "scenario", "--runs", "2", dir.toString())).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(Chatlab.execute("bench", "scenario", dir.resolve("missing.yaml").toString())).isEqualTo(Chatlab.BAD_INPUT);
    }
}
