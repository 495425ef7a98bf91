package dev.chatlab.scenarios.real;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.history.io.HistoryReader;
import dev.chatlab.reference.fleet.FleetShare;
import dev.chatlab.scenarios.Scenario;
import dev.chatlab.scenarios.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's server-kill-herd scenario on the real engine, scaled down to 40 devices: three
 * node processes, PostgreSQL, a kill -9 of a node mid-run. The verdict must be valid, every
 * planned fault counted as injected, and messages acknowledged and delivered.
 */
class RealRunTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunServerKillHerdOnRealProcessesWithAValidVerdict() throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library/server-kill-herd.yaml"));
        PrintedRun captured = PrintedRun.of(scenario, 1, dir, RealRun.Options.defaults().withDevicesMax(40));
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(printed).startsWith("seed=1\n").contains("engine=real", "scale=");
        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).containsEntry("node-kill", 1L);
        long injected = result.faults().values().stream().mapToLong(Long::longValue).sum();
        assertThat(injected).isEqualTo(scenario.chaos().scheduled());
        assertThat((long) result.counts().get("acks")).isPositive();
        assertThat((long) result.counts().get("delivers")).isPositive();
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"engine\" : \"real\"", "reconnect_curve");
        assertThat(dir.resolve("history.jsonl.gz")).exists();
        assertThat(dir.resolve("verdict.xml")).exists();
        assertThat(dir.resolve("cluster/logs/n2.log")).exists();
    }

    @Test
    void shouldInjectAMassDisconnectAndALatencySpikeThroughTheFaultProxies() throws Exception {
        Path file = dir.resolve("net-faults.yaml");
        Files.writeString(file, String.join("\n",
                "name: net-faults",
                "seed: 3",
                "duration: 20s",
                "quiesce_at: 13s",
                "topology: {nodes: 3}",
                "population: {users: 16, devices_per_user: 2, chats: 6, group_size: 4}",
                "workload: {messages_per_second: 4, read_probability: 0.2, typing_probability: 0.0}",
                "faults:",
                "  - {at: 3s, disconnect: n1}",
                "  - {at: 6s, spike: n3, by: 100ms, for: 2s}",
                ""));
        Scenario scenario = ScenarioLoader.load(file);
        PrintedRun captured = PrintedRun.of(scenario, 3, dir.resolve("run"), RealRun.Options.defaults());
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).containsEntry("mass-disconnect", 1L).containsEntry("latency-spike", 1L);
        assertThat(new ObjectMapper().readTree(dir.resolve("run/summary.json").toFile()).path("fleet")
                .path("through_proxies").asBoolean()).as("a latency spike needs the proxies").isTrue();
        assertThat((long) result.counts().get("disconnects")).as("devices dropped by the mass disconnect").isPositive();
        assertThat((long) result.counts().get("acks")).isPositive();
    }

    @Test
    void shouldConnectStraightToTheNodesWithoutLatencySpikesAndStillDropANodesDevices() throws Exception {
        Path file = dir.resolve("direct.yaml");
        Files.writeString(file, String.join("\n",
                "name: direct",
                "seed: 4",
                "duration: 12s",
                "quiesce_at: 8s",
                "topology: {nodes: 3}",
                "population: {users: 16, devices_per_user: 2, chats: 6, group_size: 4}",
                "workload: {messages_per_second: 4, read_probability: 0.2, typing_probability: 0.0}",
                "faults:",
                "  - {at: 3s, disconnect: n2}",
                ""));
        PrintedRun captured = PrintedRun.of(ScenarioLoader.load(file), 4, dir.resolve("run"), RealRun.Options.defaults());
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).containsEntry("mass-disconnect", 1L);
        assertThat((long) result.counts().get("disconnects")).as("n2's devices dropped by the fleet itself").isPositive();
        assertThat((long) result.counts().get("acks")).isPositive();
        // No proxy in between: the fleet's own sockets reached the nodes, and the fleet dropped them.
        assertThat(new ObjectMapper().readTree(dir.resolve("run/summary.json").toFile()).path("fleet")
                .path("through_proxies").asBoolean(true)).isFalse();
    }

    @Test
    void shouldSpreadTheFleetOverTwoProcessesAndJudgeTheirMergedHistory() throws Exception {
        Path file = dir.resolve("two-fleets.yaml");
        Files.writeString(file, String.join("\n",
                "name: two-fleets",
                "seed: 5",
                "duration: 20s",
                "quiesce_at: 14s",
                "topology: {nodes: 3}",
                "population: {users: 50, devices_per_user: 2, chats: 20, group_size: 4}",
                "workload: {messages_per_second: 5, read_probability: 0.2, typing_probability: 0.0}",
                "faults:",
                "  - {at: 3s, kill: n2}",
                "  - {at: 6s, disconnect: n1}",
                ""));
        Scenario scenario = ScenarioLoader.load(file);
        Path run = dir.resolve("run");
        PrintedRun captured = PrintedRun.of(scenario, 5, run, RealRun.Options.defaults().withFleetProcesses(2));
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(printed).contains("fleet=100 devices in 2 worker processes");
        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat((long) result.counts().get("acks")).isPositive();
        assertThat(result.faults()).containsEntry("node-kill", 1L).containsEntry("mass-disconnect", 1L);
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"processes\" : 2");
        List<String> first = FleetShare.read(run.resolve("fleet/worker-1.plan.jsonl.gz")).users();
        List<String> second = FleetShare.read(run.resolve("fleet/worker-2.plan.jsonl.gz")).users();
        assertThat(first).doesNotContainAnyElementsOf(second);

        // HistoryReader refuses a t that goes backwards, so reading the whole file proves the order.
        Set<String> connected = new HashSet<>();
        Set<String> herded = new HashSet<>();
        int quiesces = 0;
        try (HistoryReader reader = HistoryReader.open(run.resolve("history.jsonl.gz"))) {
            for (HistoryEvent e = reader.next(); e != null; e = reader.next()) {
                if (e instanceof HistoryEvent.Connect c) {
                    connected.add(c.user());
                } else if (e instanceof HistoryEvent.Disconnect d && "mass disconnect".equals(d.reason())) {
                    herded.add(d.user());
                } else if (e instanceof HistoryEvent.Quiesce) {
                    quiesces++;
                }
            }
        }
        assertThat(connected).containsAll(first).containsAll(second);
        // Both workers answered for their devices' frontiers: the run settled, and said when.
        JsonNode convergence = new ObjectMapper().readTree(run.resolve("summary.json").toFile()).path("convergence");
        assertThat(convergence.path("converged").asBoolean()).as(printed).isTrue();
        assertThat(convergence.path("time_to_converge_us").asLong()).isNotNegative();
        assertThat(result.converged()).isTrue();
        JsonNode cpu = new ObjectMapper().readTree(run.resolve("summary.json").toFile()).path("cpu").path("processes");
        assertThat(cpu.path("fleet workers").path("cpu_seconds").asDouble()).as("the workers' CPU, reported as they finish")
                .isPositive();
        assertThat(herded).as("the mass disconnect reached both workers")
                .containsAnyElementsOf(first).containsAnyElementsOf(second);
        assertThat(quiesces).isEqualTo(1);
    }

    @Test
    void shouldInjectSkewSlowDiskPartitionCutAndHealOnRealNodesWithAValidVerdict() throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library/real-chaos-mix.yaml"));
        PrintedRun captured = PrintedRun.of(scenario, 1, dir.resolve("mix"), RealRun.Options.defaults().withDevicesMax(40));
        RealRun.Result result = captured.result();
        String printed = captured.text();

        // Owner-counter sequencing never reads the skewed clocks, and fencing holds through cut links.
        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat(result.faults()).containsEntry("clock-skew", 2L).containsEntry("slow-disk", 1L)
                .containsEntry("partition", 1L).containsEntry("partition-one-way", 1L).containsEntry("heal", 1L);
        assertThat((long) result.counts().get("acks")).isPositive();
        // The nodes say what their chaos did: messages between cut nodes were dropped, store calls slowed.
        JsonNode nodes = new ObjectMapper().readTree(dir.resolve("mix/summary.json").toFile()).path("faults").path("nodes");
        long dropped = 0;
        long slowed = 0;
        for (JsonNode n : nodes) {
            dropped += n.path("peer_messages_dropped").asLong();
            slowed += n.path("store_ops_slowed").asLong();
        }
        assertThat(dropped).as(printed).isPositive();
        assertThat(slowed).as(printed).isPositive();
        // Every node audited its peer links through the splits (the count of changes is there, zero or not).
        assertThat(nodes).hasSize(3);
        for (JsonNode n : nodes) {
            assertThat(n.has("peer_link_changes")).as(printed).isTrue();
        }
        JsonNode faults = new ObjectMapper().readTree(dir.resolve("mix/summary.json").toFile()).path("faults");
        JsonNode membership = faults.path("membership");
        assertThat(membership.path("whole_at_end").asBoolean()).as(printed).isTrue();
        if (faults.path("partition_filter").path("mode").asText().equals("iptables")) {
            // The 10 s partition also splits membership, and the sides merge back.
            assertThat(membership.path("nodes_with_partial_view_during_run")).as(printed).isNotEmpty();
        } else {
            // Without iptables a partition is a gray failure, and the run says so: the nodes drop each
            // other's messages (above) while Hazelcast, whose links nothing cuts, keeps every node a member.
            assertThat(faults.path("partition_filter").path("mode").asText()).as(printed).isEqualTo("gray");
            assertThat(faults.path("partition_filter").path("note").asText()).as(printed).contains("gray failures only");
            assertThat(membership.path("nodes_with_partial_view_during_run")).as(printed).isEmpty();
        }
    }

    /**
     * A scenario's swarm is drawn on the real engine as in the simulator (same seed, same faults)
     * and played against the real processes: seed 3 of chaos-swarm draws a kill of n3 with its
     * restart and a slow disk.
     */
    @Test
    void shouldPlayTheSwarmTheSimulatorDrawsForTheSameSeed() throws Exception {
        Scenario scenario = ScenarioLoader.load(Path.of("library/chaos-swarm.yaml"));
        PrintedRun captured = PrintedRun.of(scenario, 3, dir.resolve("swarm"), RealRun.Options.defaults().withDevicesMax(40));
        RealRun.Result result = captured.result();
        String printed = captured.text();

        JsonNode faults = new ObjectMapper().readTree(dir.resolve("swarm/summary.json").toFile()).path("faults");
        List<String> drawn = new java.util.ArrayList<>();
        faults.path("swarm_drawn").forEach(f -> f.fieldNames().forEachRemaining(drawn::add));
        java.io.ByteArrayOutputStream simOut = new java.io.ByteArrayOutputStream();
        dev.chatlab.scenarios.sim.SimRun.Result sim = dev.chatlab.scenarios.sim.SimRun.run(scenario, 3,
                dir.resolve("swarm-sim"), new java.io.PrintStream(simOut, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
        JsonNode simFaults = new ObjectMapper().readTree(dir.resolve("swarm-sim/summary.json").toFile()).path("faults");

        assertThat(faults.path("swarm_drawn")).as("the same draw as the simulator's").isEqualTo(simFaults.path("swarm_drawn"));
        assertThat(drawn).as(printed).contains("kill", "slow_disk");
        assertThat(result.faults()).as(printed).containsEntry("node-kill", 1L).containsEntry("node-restart", 1L)
                .containsEntry("slow-disk", 1L);
        assertThat(result.verdict().valid()).as(printed).isTrue();
        assertThat((long) result.counts().get("acks")).isPositive();
    }

    /**
     * Snowflake ids under a real clock skew: n2 and n3 run 30 s behind, n1 is killed, and once
     * Hazelcast drops it (about 5 s) its chats move to a skewed node, whose ids are smaller than
     * those n1 gave. A sender's later message then gets a smaller seq than its earlier one
     * (sender-fifo, the mark of the skew: the other order violations also come from pushes
     * overtaking a sync). The same run with owner-counter sequencing, which never reads the
     * clock, holds every invariant.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"snowflake, false", "owner-counter, true"})
    void shouldBreakSenderOrderUnderARealSkewedFailoverOnlyWithClockBasedIds(String sequencing, boolean valid)
            throws Exception {
        Path file = dir.resolve("skew-failover.yaml");
        Files.writeString(file, String.join("\n",
                "name: skew-failover",
                "seed: 1",
                "duration: 18s",
                "quiesce_at: 12s",
                "topology: {nodes: 3, sequencing: " + sequencing + ", fanout: push, routing: direct}",
                "population: {users: 16, devices_per_user: 1, chats: 8, group_size: 4}",
                "workload: {messages_per_second: 8, read_probability: 0.0, typing_probability: 0.0}",
                "client: {reconnect: backoff}",
                "faults:",
                "  - {at: 0s, skew: n2, by: -30s}",
                "  - {at: 0s, skew: n3, by: -30s}",
                "  - {at: 3s, kill: n1}",
                ""));
        Scenario scenario = ScenarioLoader.load(file);
        PrintedRun captured = PrintedRun.of(scenario, 1, dir.resolve("run"), RealRun.Options.defaults());
        RealRun.Result result = captured.result();
        String printed = captured.text();

        assertThat(result.faults()).containsEntry("clock-skew", 2L).containsEntry("node-kill", 1L);
        assertThat((long) result.counts().get("acks")).isPositive();
        if (valid) {
            assertThat(result.verdict().valid()).as(printed).isTrue();
        } else {
            assertThat(result.exitCode()).as(printed).isEqualTo(1);
            assertThat(result.verdict().violated()).as(printed).contains("sender-fifo");
        }
    }
}
