package dev.chatlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** chatlab cluster start, token, status, kill, stop against a real one-node cluster. */
class ClusterCommandTest {

    @TempDir
    Path dir;

    private String run(int expectedExit, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setOut(new PrintStream(text, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Chatlab.execute(args);
        } finally {
            System.setOut(saved);
        }
        String out = text.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isEqualTo(expectedExit);
        return out;
    }

    @Test
    void shouldStartInspectKillAndStopAOneNodeCluster() throws Exception {
        String d = dir.toString();
        try {
            assertThat(run(0, "cluster", "start", "--nodes", "1", "--store", "memory", "--base-port", "0", "--dir", d))
                    .contains("cluster of 1 nodes up", "n1", "\"status\":\"up\"");
            assertThat(dir.resolve("cluster.json")).exists();
            assertThat(Files.readString(dir.resolve("logs/n1.log"))).contains("READY");
            String token = run(0, "cluster", "token", "alice", "--dir", d).trim();
            assertThat(token.split("\\.")).hasSize(3);
            assertThat(run(0, "cluster", "kill", "n1", "--dir", d)).contains("killed n1");
            assertThat(run(0, "cluster", "status", "--dir", d)).contains("down", "unreachable");
        } finally {
            run(0, "cluster", "stop", "--dir", d);
        }
    }

    @Test
    void shouldRefuseAMemoryStoreForSeveralNodes() {
        run(Chatlab.BAD_INPUT, "cluster", "start", "--nodes", "2", "--store", "memory", "--dir", dir.toString());
    }

    @Test
    void shouldRefuseAnUnknownCacheOrPresenceOrAnEmptyCache() {
        run(Chatlab.BAD_INPUT, "cluster", "start", "--nodes", "1", "--cache", "memcached", "--dir", dir.toString());
        run(Chatlab.BAD_INPUT, "cluster", "start", "--nodes", "1", "--cache", "redis", "--cache-recent", "0", "--dir", dir.toString());
        run(Chatlab.BAD_INPUT, "cluster", "start", "--nodes", "1", "--presence", "zookeeper", "--dir", dir.toString());
    }

    /** A ttl of 0 or less would mint a token that never expires (or is born expired): refused before any cluster is read. */
    @Test
    void shouldRefuseATokenTtlOfZeroOrLess() {
        PrintStream saved = System.err;
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            run(Chatlab.BAD_INPUT, "cluster", "token", "alice", "--ttl", "0", "--dir", dir.toString());
            run(Chatlab.BAD_INPUT, "cluster", "token", "alice", "--ttl", "-1", "--dir", dir.toString());
        } finally {
            System.setErr(saved);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--ttl must be at least 1 (seconds), got 0")
                .contains("got -1");
    }
}
