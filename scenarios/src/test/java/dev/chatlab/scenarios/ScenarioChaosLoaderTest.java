package dev.chatlab.scenarios;

import dev.chatlab.chaos.Fault;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.chaos.Swarm;
import dev.chatlab.scenarios.world.StoreModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The sections and fault kinds added for the simulated world and chaos: network, store, swarm, every fault kind. */
class ScenarioChaosLoaderTest {

    private static Scenario parse(String text) throws ScenarioException {
        return ScenarioLoader.parse("test.yaml", "test", text);
    }

    private static ScenarioException failure(String text) {
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> parse(text));
        assertThat(e).as("expected %s to be refused", text).isNotNull();
        return e;
    }

    private static List<Fault> faults(Scenario s) {
        return s.chaos().schedule().faults().stream().map(FaultPlan.Scheduled::fault).toList();
    }

    @Test
    void shouldReadEveryFaultKind() throws ScenarioException {
        Scenario s = parse("""
                duration: 20s
                quiesce_at: 15s
                faults:
                  - {at: 1s, kill: n1, for: 2s}
                  - {at: 2s, restart: n2}
                  - {at: 3s, skew: n3, by: -1s}
                  - {at: 4s, partition: [[n1], [n2, n3]], for: 1s}
                  - {at: 5s, cut: n1, to: [n2, n3], for: 500ms}
                  - {at: 6s, heal: all}
                  - {at: 7s, spike: all, by: 200ms, for: 1s}
                  - {at: 8s, spike: [n2], by: 50ms}
                  - {at: 9s, slow_disk: 20, for: 2s}
                  - {at: 10s, disconnect: n3}
                """);
        assertThat(faults(s)).containsExactly(
                new Fault.Kill("n1", 2_000_000),
                new Fault.Restart("n2"),
                new Fault.ClockSkew("n3", -1_000_000),
                new Fault.Partition(List.of(List.of("n1"), List.of("n2", "n3")), 1_000_000),
                new Fault.OneWayCut(List.of("n1"), List.of("n2", "n3"), 500_000),
                new Fault.Heal(),
                new Fault.LatencySpike(List.of(), 200_000, 1_000_000),
                new Fault.LatencySpike(List.of("n2"), 50_000, 0),
                new Fault.SlowDisk(20, 2_000_000),
                new Fault.MassDisconnect("n3"));
        // The first version's view keeps kills (with their timed restart), restarts and skews.
        assertThat(s.faults()).containsExactly(
                new Scenario.Fault.Kill(1_000_000, "n1"),
                new Scenario.Fault.Restart(2_000_000, "n2"),
                new Scenario.Fault.Restart(3_000_000, "n1"),
                new Scenario.Fault.Skew(3_000_000, "n3", -1_000_000));
    }

    @Test
    void shouldReadAScheduleAndASwarmUnderAFaultsMapping() throws ScenarioException {
        Scenario s = parse("""
                duration: 10s
                quiesce_at: 6s
                faults:
                  schedule:
                    - {at: 1s, kill: n2}
                  swarm: {kinds: [kill, partition], faults_min: 2, faults_max: 3, down_max: 1s}
                """);
        assertThat(faults(s)).containsExactly(new Fault.Kill("n2", 0));
        Swarm swarm = s.chaos().swarm();
        assertThat(swarm.kinds()).containsExactly("kill", "partition");
        assertThat(swarm.faultsMin()).isEqualTo(2);
        assertThat(swarm.faultsMax()).isEqualTo(3);
        assertThat(swarm.fromMicros()).isEqualTo(500_000);
        assertThat(swarm.untilMicros()).isEqualTo(6_000_000);
        assertThat(swarm.downMaxMicros()).isEqualTo(1_000_000);
    }

    @Test
    void shouldFillNetworkStoreAndClientDefaults() throws ScenarioException {
        Scenario s = parse("duration: 10s\n");
        assertThat(s.level()).isEqualTo(Scenario.Level.FULL);
        assertThat(s.network()).isEqualTo(Scenario.Network.defaults());
        assertThat(s.store()).isEqualTo(StoreModel.lsm());
        assertThat(s.topology().fencing()).isTrue();
        assertThat(s.topology().presenceTtlMicros()).isEqualTo(30_000_000);
        assertThat(s.client().heartbeatMicros()).isEqualTo(10_000_000);
        assertThat(s.chaos().swarm()).isNull();
    }

    @Test
    void shouldReadAStoreModelWithItsParameters() throws ScenarioException {
        Scenario s = parse("store: {model: btree, write: 1ms, read: 50us, sigma: 0}\n"
                + "network: {client: {median: 80ms, sigma: 0.2, jitter: 5ms, loss: 0.01}, failure_detection: 2s}\n");
        assertThat(s.store()).isEqualTo(new StoreModel(StoreModel.Kind.BTREE, 1_000, 50, 0, 0, 0));
        assertThat(s.network().client()).isEqualTo(new Scenario.Link(80_000, 0.2, 5_000, 0.01));
        assertThat(s.network().failureDetectionMicros()).isEqualTo(2_000_000);
    }

    @Test
    void shouldReadTheRealStoreKindAsAWordOrInTheMappingAndPickItsEnginesModel() throws ScenarioException {
        Scenario word = parse("store: postgres-sharded\n");
        assertThat(word.realStore()).isEqualTo(new Scenario.RealStore("postgres-sharded", 2));
        assertThat(word.store().kind()).isEqualTo(StoreModel.Kind.BTREE);
        Scenario mapping = parse("store: {kind: postgres-sharded, shards: 3, model: lsm}\n");
        assertThat(mapping.realStore()).isEqualTo(new Scenario.RealStore("postgres-sharded", 3));
        assertThat(mapping.store().kind()).isEqualTo(StoreModel.Kind.LSM);
        assertThat(parse("topology: {ownership: pinned}\nstore: rocksdb\n").realStore().kindFor(
                parse("topology: {ownership: pinned}\n").topology())).isEqualTo("rocksdb");
        // Without a kind nothing changes: the default store of the topology, the LSM model, the same settings.
        assertThat(parse("store: cassandra\n").store().kind()).isEqualTo(StoreModel.Kind.LSM);
        Scenario none = parse("duration: 20s\n");
        assertThat(none.realStore()).isEqualTo(Scenario.RealStore.DEFAULT);
        assertThat(none.realStore().kindFor(none.topology())).isEqualTo("postgres");
        assertThat(none.store()).isEqualTo(StoreModel.lsm());
        assertThat(none.settings().get("store").toString()).doesNotContain("kind");
        assertThat(word.settings().get("store").toString()).contains("kind=postgres-sharded", "shards=2");
    }

    @Test
    void shouldTakeTheRealStoreKindFromTheCommandLine() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("test.yaml", "test", "store: {model: lsm}\n", List.of("store=postgres-sharded"));
        assertThat(s.realStore()).isEqualTo(new Scenario.RealStore("postgres-sharded", 2));
        Scenario shards = ScenarioLoader.parse("test.yaml", "test", "duration: 20s\n",
                List.of("store.kind=postgres-sharded", "store.shards=4"));
        assertThat(shards.realStore()).isEqualTo(new Scenario.RealStore("postgres-sharded", 4));
    }

    @Test
    void shouldRefuseARealStoreThatDoesNotFitTheTopology() {
        assertThat(failure("store: mongodb\n").getMessage())
                .isEqualTo("test.yaml:1:8: store: expected one of postgres, postgres-sharded, cassandra, rocksdb, got 'mongodb'");
        assertThat(failure("topology: {ownership: follow-membership}\nstore:\n  kind: rocksdb\n").getMessage())
                .startsWith("test.yaml:3:9: store.kind: rocksdb is node-local and needs topology.ownership: pinned");
        assertThat(failure("topology: {ownership: pinned}\nstore: postgres\n").getMessage())
                .startsWith("test.yaml:2:8: store: pinned homes keep each chat on their own disk");
        assertThat(failure("store: {kind: postgres, shards: 3}\n").getMessage())
                .contains("store.shards: belongs to store kind postgres-sharded, not postgres");
    }

    @Test
    void shouldPinOwnershipForANodeLocalStoreWhenTheFileNamesNone() throws ScenarioException {
        assertThat(parse("store: rocksdb\n").topology().pinned()).isTrue();
        assertThat(parse("store: postgres\n").topology().pinned()).isFalse();
    }

    @Test
    void shouldReadTheStatedDurabilityAndKeepItWhenTheCommandLineNamesAnotherStore() throws ScenarioException {
        Scenario s = ScenarioLoader.parse("test.yaml", "test", "store: {kind: postgres, durability: process-crash}\n",
                List.of("store=cassandra"));
        assertThat(s.realStore()).isEqualTo(new Scenario.RealStore("cassandra", 0, "process-crash"));
        assertThat(s.settings().get("store").toString()).contains("durability=process-crash");
        assertThat(parse("duration: 20s\n").realStore().durabilityOrDefault()).isEqualTo("memory");
        assertThat(failure("store: {durability: sometimes}\n").getMessage())
                .contains("store.durability: expected one of memory, process-crash, fsync, got 'sometimes'");
    }

    @Test
    void shouldReadAStoreKillOfTheWholeStoreOrOneShard() throws ScenarioException {
        Scenario s = parse("""
                duration: 20s
                quiesce_at: 15s
                store: {kind: postgres-sharded, shards: 3}
                faults:
                  - {at: 1s, store_kill: store, for: 2s}
                  - {at: 5s, store_kill: shard-3}
                """);
        assertThat(faults(s)).containsExactly(new Fault.StoreKill("store", 2_000_000), new Fault.StoreKill("shard-3", 0));
        assertThat(Scenario.faultEntry(s.chaos().schedule().faults().get(0)).toString())
                .isEqualTo("{at=1s, store_kill=store, for=2s}");
    }

    @Test
    void shouldRefuseAStoreKillOfANodeLocalStoreOrOfAShardThereIsNot() {
        assertThat(failure("store: rocksdb\nfaults:\n  - {at: 1s, store_kill: store}\n").getMessage())
                .contains("faults[0].store_kill: rocksdb lives inside each node's process");
        assertThat(failure("store: {kind: postgres-sharded}\nfaults:\n  - {at: 1s, store_kill: shard-3}\n").getMessage())
                .contains("faults[0].store_kill: expected 'store' or shard-1 to shard-2, got 'shard-3'");
        assertThat(failure("store: cassandra\nfaults:\n  - {at: 1s, store_kill: shard-1}\n").getMessage())
                .contains("faults[0].store_kill: expected 'store' (a cassandra store has no shards), got 'shard-1'");
    }

    @Test
    void shouldRefuseCompactionOnABtree() {
        assertThat(failure("store:\n  model: btree\n  compaction_every: 10\n").getMessage())
                .isEqualTo("test.yaml:3:21: store.compaction_every: compaction belongs to the lsm model only");
    }

    @Test
    void shouldRefuseAPartitionNamingANodeTwiceOrAnUnknownNode() {
        assertThat(failure("faults:\n  - {at: 1s, partition: [[n1, n2], [n2]]}\n").getMessage())
                .contains("faults[0].partition[1]: node 'n2' is on two sides");
        assertThat(failure("faults:\n  - {at: 1s, partition: [[n1], [n9]]}\n").getMessage())
                .contains("faults[0].partition[1]: expected a node of the topology (n1..n3), got 'n9'");
    }

    @Test
    void shouldRefuseACutWithoutItsOtherSideAndAForOnARestart() {
        assertThat(failure("faults:\n  - {at: 1s, cut: [n1]}\n").getMessage())
                .contains("faults[0]: expected 'to', the nodes the cut side can no longer reach");
        assertThat(failure("faults:\n  - {at: 1s, restart: n1, for: 1s}\n").getMessage())
                .contains("faults[0].for: 'for' belongs to kill, partition, cut, spike, slow_disk and store_kill only");
    }

    @Test
    void shouldRefuseASwarmKindItCannotDrawNamingItsLine() {
        ScenarioException e = failure("faults:\n  swarm:\n    kinds: [kill, reboot]\n");
        assertThat(e.getMessage()).contains("faults.swarm.kinds[1]: expected one of kill, partition")
                .contains("got 'reboot'");
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void shouldAcceptTheCoarseLevelButNotTheFullModelsWorkloadShapes() throws ScenarioException {
        assertThat(ScenarioLoader.parse("test.yaml", "test", "level: coarse\n").level()).isEqualTo(Scenario.Level.COARSE);
        assertThat(failure("level: coarse\nworkload: {user_activity: zipf}\n").getMessage())
                .contains("workload.user_activity: applies to 'level: full' only");
    }

    @Test
    void shouldNameTheLineOfABadFaultUnderTheScheduleKey() {
        ScenarioException e = failure("faults:\n  schedule:\n    - {at: 1s, kill: n8}\n");
        assertThat(e.getMessage()).contains("faults.schedule[0].kill: expected a node of the topology");
        assertThat(e.line()).isEqualTo(3);
    }
}
