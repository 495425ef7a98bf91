package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchFuzzCommandTest {

    @Test
    void shouldRefuseAMemoryStoreForSeveralNodesNoFramesAndAFolderOfOtherFiles(@TempDir Path dir) throws Exception {
        assertThat(Chatlab.execute("bench", "fuzz", "--nodes", "3", "--store", "memory", "--dir", dir.toString()))
                .isEqualTo(Chatlab.BAD_INPUT);
        assertThat(Chatlab.execute("bench", "fuzz", "--frames", "0", "--dir", dir.toString())).isEqualTo(Chatlab.BAD_INPUT);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThat(Chatlab.execute("bench", "fuzz", "--nodes", "1", "--store", "memory", "--dir", dir.toString()))
                .isEqualTo(Chatlab.BAD_INPUT);
        assertThat(dir.resolve("notes.txt")).exists();
    }
}
