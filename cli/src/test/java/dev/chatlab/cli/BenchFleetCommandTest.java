package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchFleetCommandTest {

    @Test
    void shouldRefuseGroupsLargerThanTheFleetAndEmptyRoundsBeforeStartingAnything(@TempDir Path dir) {
        assertThat(Chatlab.execute("bench", "fleet", "--devices", "3", "--group", "4", "--dir", dir.toString()))
                .isEqualTo(Chatlab.BAD_INPUT);
        assertThat(Chatlab.execute("bench", "fleet", "--rounds", "0", "--dir", dir.toString())).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(dir.resolve("cluster.json")).doesNotExist();
    }
}
