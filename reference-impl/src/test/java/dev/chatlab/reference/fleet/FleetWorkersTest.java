package dev.chatlab.reference.fleet;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fleet worker processes without a cluster: the devices point at a port where nothing listens,
 * which is enough to see how shares are cut, how workers answer, and how a dead one is reported.
 */
class FleetWorkersTest {

    private static final String SECRET = "a-fleet-test-secret-of-32-chars!";

    @TempDir
    Path dir;

    @Test
    void shouldGiveEveryDeviceOfAUserAndExactlyItsActionsToOneShare() {
        RealDriver.Plan plan = plan(7, List.of("d1", "d2"));

        List<FleetShare> shares = FleetShare.partition(plan, List.of("ws://127.0.0.1:9/ws"), "s", 3);

        assertThat(shares).extracting(FleetShare::users).containsExactly(
                List.of("u1", "u4", "u7"), List.of("u2", "u5"), List.of("u3", "u6"));
        assertThat(shares).extracting(FleetShare::deviceCount).containsExactly(6, 4, 4);
        for (FleetShare share : shares) {
            assertThat(share.actions()).allMatch(a -> share.users().contains(a.user()));
        }
        assertThat(shares.stream().mapToInt(s -> s.actions().size()).sum()).isEqualTo(plan.actions().size());
        assertThat(shares).extracting(FleetShare::localAddresses)
                .containsExactly(List.of("127.0.0.1"), List.of("127.0.0.2"), List.of("127.0.0.3"));
    }

    @Test
    void shouldCarryAShareToAWorkerUnchanged() throws Exception {
        RealDriver.Plan plan = plan(4, List.of("d1"));
        FleetShare share = FleetShare.partition(plan, List.of("ws://127.0.0.1:9/ws"), "secret", 2).get(1);
        Path file = dir.resolve("share.jsonl.gz");

        share.write(file);

        assertThat(FleetShare.read(file)).isEqualTo(share);
    }

    @Test
    void shouldDecideTheProcessCountFromTheDevicesUnlessForced() {
        assertThat(FleetWorkers.processesFor(100, 15_000, 0)).isEqualTo(1);
        assertThat(FleetWorkers.processesFor(15_000, 15_000, 0)).isEqualTo(1);
        assertThat(FleetWorkers.processesFor(25_000, 15_000, 0)).isEqualTo(2);
        assertThat(FleetWorkers.processesFor(100, 15_000, 2)).isEqualTo(2);
    }

    @Test
    void shouldRunPhasesOnEveryWorkerAndMergeTheirHistories() throws Exception {
        RealDriver.Plan plan = plan(4, List.of("d1"));
        List<HistoryEvent> merged = new ArrayList<>();
        Map<String, Long> counters;
        try (FleetWorkers fleet = FleetWorkers.start(plan, List.of(deadEndpoint()), SECRET, 2, dir,
                FleetWorkers.JVM_ARGS_DEFAULT)) {
            fleet.record(t -> new HistoryEvent.Member(t, "c1", "u1", HistoryEvent.MemberOp.ADD));
            fleet.start(fleet.now(), 100_000, fleet.now() + 200_000);
            assertThat(fleet.status()).contains("processes=2");
            assertThat(fleet.disconnectAll(0)).isZero();
            fleet.quiesce(100_000);
            counters = fleet.finish();
            fleet.merge(merged::add);
        }
        // Both workers answered finish with their counters (2 devices each); nothing could connect.
        assertThat(counters.get("devices")).isEqualTo(4);
        assertThat(counters.get("sockets_open")).isZero();
        assertThat(merged.get(0)).isInstanceOf(HistoryEvent.Member.class);
        assertThat(merged).filteredOn(e -> e instanceof HistoryEvent.Quiesce).hasSize(1);
        assertThat(dir.resolve("worker-1.stats.json")).exists();
        assertThat(dir.resolve("worker-2.log")).exists();
    }

    @Test
    void shouldFailTheRunNamingAWorkerThatDiedAndItsLog() throws Exception {
        RealDriver.Plan plan = plan(4, List.of("d1"));
        try (FleetWorkers fleet = FleetWorkers.start(plan, List.of(deadEndpoint()), SECRET, 2, dir,
                FleetWorkers.JVM_ARGS_DEFAULT)) {
            fleet.start(fleet.now(), 100_000, fleet.now());
            ProcessHandle worker = ProcessHandle.of(fleet.pids().get(1)).orElseThrow();
            worker.destroyForcibly();
            worker.onExit().get();

            assertThatThrownBy(fleet::status)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("fleet worker-2 (pid " + fleet.pids().get(1))
                    .hasMessageContaining("died")
                    .hasMessageContaining(dir.resolve("worker-2.log").toString());
        }
    }

    /** Users u1..uN with the given devices, one chat of everyone, and one send per user. */
    private static RealDriver.Plan plan(int users, List<String> devices) {
        List<String> names = new ArrayList<>();
        List<RealDriver.TimedAction> actions = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            names.add("u" + u);
            actions.add(new RealDriver.TimedAction(u * 10_000L, "u" + u, devices.get(0),
                    new UserAction.SendMessage("c1", "u" + u + "-1", "m")));
        }
        return new RealDriver.Plan(Map.of("c1", names), names, devices, actions, List.of(), 1_000_000, 2_000_000,
                ClientConfig.defaults(), 5);
    }

    private static String deadEndpoint() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return "ws://127.0.0.1:" + s.getLocalPort() + "/ws";
        }
    }
}
