package dev.chatlab.scenarios.real;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code kill -9} of the store's server mid-run, restarted 3 s later: the nodes ride through on
 * their store retries, and with the durability the file states ({@code process-crash}: a commit
 * acknowledged once its WAL is with the operating system) no acknowledged message is lost, so the
 * verdict is valid with the fault really injected.
 */
class StoreKillRealRunTest {

    @TempDir
    Path dir;

    @Test
    void shouldRideThroughAKill9OfPostgresWithoutLosingAnAcknowledgedMessage() throws Exception {
        Path file = dir.resolve("pg-kill.yaml");
        Files.writeString(file, String.join("\n",
                "name: pg-kill",
                "seed: 7",
                "duration: 20s",
                "quiesce_at: 13s",
                "topology: {nodes: 2}",
                "store: {kind: postgres, durability: process-crash}",
                "population: {users: 16, devices_per_user: 2, chats: 8, group_size: 3}",
                "workload: {messages_per_second: 30, read_probability: 0.2, typing_probability: 0.0}",
                "faults:",
                "  - {at: 4s, store_kill: store, for: 3s}",
                ""));
        Scenario scenario = ScenarioLoader.load(file);
        PrintedRun captured = PrintedRun.of(scenario, 7, dir.resolve("run"), RealRun.Options.defaults());
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).as(printed).containsEntry("store-kill", 1L).containsEntry("store-restart", 1L);
        assertThat((long) result.counts().get("acks")).as(printed).isPositive();
        JsonNode store = new ObjectMapper().readTree(dir.resolve("run/summary.json").toFile()).path("store");
        assertThat(store.path("durability").asText()).isEqualTo("process-crash");
        assertThat(store.path("durability_settings").asText()).contains("synchronous_commit=on");
    }
}
