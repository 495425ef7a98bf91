package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatlab capacity} on the smoke scenario without faults, where the answer is known by
 * construction: at 0 messages a second nothing is sent, so nothing is acknowledged and the run
 * judged nothing (a failure); from 1 a second every message is acknowledged. So the smallest rate
 * meeting {@code ack_fraction >= 1} is 1, at both simulator levels.
 */
class CapacityCommandTest {

    private static final String SMOKE = "../scenarios/library/smoke.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldFindTheSmallestRateThatJudgesSomethingAtTheFullLevel(@TempDir Path dir) throws Exception {
        assertAnswerOne(dir, "level=full");
    }

    @Test
    void shouldFindTheSameAnswerAtTheCoarseLevel(@TempDir Path dir) throws Exception {
        // smoke.yaml's read receipts are not modelled at the coarse level, which refuses them
        assertAnswerOne(dir, "level=coarse", "--set", "workload.read_probability=0");
    }

    private static void assertAnswerOne(Path dir, String level, String... moreFlags) throws Exception {
        List<String> args = new ArrayList<>(List.of("capacity", SMOKE, "--set", "faults=[]", "--set", level, "--slo",
                "ack_fraction >= 1", "--search", "workload.messages_per_second=0..8", "--seeds", "2", "--out", dir.toString()));
        args.addAll(List.of(moreFlags));
        Captured c = Captured.execute(args.toArray(String[]::new));
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);
        assertThat(c.out()).contains("that holds every invariant and meets every SLO on seeds 1..2: 1\n")
                .contains("workload.messages_per_second=0: failed on seed 1: SLO ack_fraction >= 1 not met");
        JsonNode json = JSON.readTree(dir.resolve("capacity.json").toFile());
        assertThat(json.path("answer").asLong()).isEqualTo(1);
        assertThat(json.path("points")).hasSize(2);
        assertThat(json.path("points").get(1).path("runs")).hasSize(2);
        assertThat(json.path("points").get(1).path("worst").path("ack_fraction >= 1").asDouble()).isEqualTo(1.0);
        assertThat(dir.resolve(json.path("points").get(1).path("runs").get(1).path("report").asText())).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("capacity.html"))).contains("<svg", "workload.messages_per_second = 1")
                .doesNotContain("<script");
    }

    @Test
    void shouldExit1WhenNoValueMeetsTheSlo(@TempDir Path dir) {
        Captured c = Captured.execute("capacity", SMOKE, "--set", "faults=[]", "--slo", "p99(send_to_ack) < 1us", "--maximize",
                "--search", "workload.messages_per_second=10..40", "--seeds", "1", "--out", dir.toString());
        assertThat(c.exit()).isEqualTo(Chatlab.VIOLATED);
        assertThat(c.out()).contains(": none (10 already fails)", "SLO p99(send_to_ack) < 1us not met");
    }

    @Test
    void shouldExit2NamingTheFlag(@TempDir Path dir) {
        assertBad(dir, "--search topology.nodes=8..2: expected LO below HI", "--search", "topology.nodes=8..2", "--slo", "fails <= 0");
        assertBad(dir, "--search topology.nodes: expected KEY=LO..HI", "--search", "topology.nodes", "--slo", "fails <= 0");
        assertBad(dir, "--search topology.nodes=0..4 (the value 0): ", "--search", "topology.nodes=0..4", "--slo", "fails <= 0");
        assertBad(dir, "--slo p98(send_to_ack) < 1s: unknown metric", "--search", "topology.nodes=3..4", "--slo", "p98(send_to_ack) < 1s");
        assertBad(dir, "--slo: a capacity search needs an objective", "--search", "topology.nodes=3..4");
        assertThat(dir).isEmptyDirectory();
    }

    private static void assertBad(Path dir, String message, String... flags) {
        String[] args = new String[flags.length + 4];
        args[0] = "capacity";
        args[1] = SMOKE;
        args[2] = "--out";
        args[3] = dir.resolve("x").toString();
        System.arraycopy(flags, 0, args, 4, flags.length);
        Captured c = Captured.execute(args);
        assertThat(c.exit()).as(c.err()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(c.err()).contains("chatlab capacity: " + message);
    }
}
