package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A run too big for the heap is refused before it starts, with the estimate, rather than dying of an OutOfMemoryError. */
class RunCommandHeapTest {

    @Test
    void shouldExit2WithTheEstimateWhenAFullLevelRunCannotFitTheHeap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("too-big.yaml");
        Files.writeString(file, """
                name: too-big
                duration: 10s
                topology: {nodes: 1000}
                population: {users: 100000000, devices_per_user: 1, chats: 1000, group_size: 8}
                """);
        Captured run = Captured.execute("run", file.toString(), "--out", dir.resolve("out").toString());
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(run.err()).contains("too-big.yaml: the run needs about 381.5 GiB of heap but the JVM has ")
                .contains("full level: 100,000,000 devices x 4096 B")
                .contains("lower population.users");
        assertThat(dir.resolve("out").resolve("summary.json")).doesNotExist();
    }
}
