package dev.chatlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatlab compare --engine real --vary store=...} on two stores that start in seconds (one
 * PostgreSQL, two shards of it), one short seed each: the comparison reports each store's own
 * costs (store op latency, bytes, CPU and GC a message) as measured numbers, and a store given as
 * a single value keeps the file's stated durability.
 */
class CompareStoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReportEachStoresOwnCostsWhenComparingStoresOnTheRealEngine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("two-stores.yaml");
        Files.writeString(file, String.join("\n",
                "name: two-stores",
                "seed: 3",
                "duration: 14s",
                "quiesce_at: 10s",
                "topology: {nodes: 2, hybrid_threshold: 2}",
                "store: {kind: postgres, durability: process-crash}",
                "population: {users: 16, devices_per_user: 2, chats: 8, group_size: 3}",
                "workload: {messages_per_second: 20, read_probability: 0.2, typing_probability: 0.0}",
                ""));
        Captured c = Captured.execute("compare", file.toString(), "--engine", "real", "--vary", "store=postgres,postgres-sharded",
                "--seeds", "1", "--out", dir.resolve("compare").toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.OK);

        JsonNode json = JSON.readTree(dir.resolve("compare/comparison.json").toFile());
        for (String name : List.of("store.messages_per_second", "store.deliveries_per_second", "store.append_p50_us", "store.append_p99_us",
                "store.append_p999_us", "store.read_p50_us", "store.read_p99_us", "store.write_bytes_per_message",
                "store.node_cpu_us_per_message", "store.store_cpu_us_per_message", "store.node_gc_pause_total_us")) {
            JsonNode m = metric(json, name);
            assertThat(m.path("by_variant")).as(name).hasSize(2);
            for (JsonNode cell : m.path("by_variant")) {
                assertThat(cell.path("n").asInt()).as(name + " measured in " + cell.path("variant")).isEqualTo(1);
                assertThat(cell.path("mean").asDouble()).as(name).isPositive();
            }
        }
        for (JsonNode run : json.path("runs")) {
            JsonNode store = JSON.readTree(dir.resolve("compare").resolve(run.path("folder").asText()).resolve("summary.json")
                    .toFile()).path("store");
            assertThat(store.path("durability").asText()).as("--vary store=X keeps store.durability").isEqualTo("process-crash");
        }
    }

    @Test
    void shouldRefuseAStoreKillInTheSimulatorWithExit2(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim-store-kill.yaml");
        Files.writeString(file, "duration: 10s\nquiesce_at: 6s\nfaults:\n  - {at: 2s, store_kill: store, for: 1s}\n");
        Captured c = Captured.execute("run", file.toString(), "--out", dir.resolve("run").toString());
        assertThat(c.exit()).as(c.out() + c.err()).isEqualTo(Chatlab.BAD_INPUT);
        assertThat(c.err()).contains("store_kill kills the store's server process, which only a real run has (--engine real)");
    }

    private static JsonNode metric(JsonNode json, String name) {
        for (JsonNode m : json.path("metrics")) {
            if (m.path("metric").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + name + " in " + json.path("metrics"));
    }
}
