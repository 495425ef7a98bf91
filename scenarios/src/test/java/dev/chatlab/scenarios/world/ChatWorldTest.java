package dev.chatlab.scenarios.world;

import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.sim.random.RandomStreams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatWorldTest {

    private final List<HistoryEvent> history = new ArrayList<>();

    private ChatWorld world(WorldConfig config, int users) {
        ChatWorld world = new ChatWorld(config, RandomStreams.root(3), history::add);
        for (int u = 1; u <= users; u++) {
            world.addDevice("u" + u, "d1");
        }
        world.seedChat("c1", List.of("u1", "u2", "u3"));
        world.start();
        for (int u = 1; u <= users; u++) {
            world.act(u * 1_000L, "u" + u, "d1", new UserAction.GoOnline());
        }
        return world;
    }

    private List<HistoryEvent.Connect> connects(long afterMicros) {
        return history.stream().filter(e -> e instanceof HistoryEvent.Connect && e.t() > afterMicros)
                .map(e -> (HistoryEvent.Connect) e).toList();
    }

    @Test
    void shouldSpreadDevicesOverTheNodesByHashingTheirUsers() {
        ChatWorld world = world(WorldConfig.defaults(List.of("n1", "n2", "n3")), 30);
        world.runUntil(1_000_000);
        assertThat(world.connectedDevices()).isEqualTo(30);
        assertThat(connects(0)).extracting(HistoryEvent.Connect::node).contains("n1", "n2", "n3");
    }

    @Test
    void shouldMoveTheDevicesOfAKilledNodeToTheOthersOnceMembershipNotices() {
        ChatWorld world = world(WorldConfig.defaults(List.of("n1", "n2", "n3")), 30);
        world.runUntil(1_000_000);
        long onN2 = connects(0).stream().filter(c -> c.node().equals("n2")).count();
        assertThat(world.kill("n2")).isTrue();
        assertThat(world.kill("n2")).isFalse();
        world.runUntil(15_000_000);
        assertThat(world.connectedDevices()).isEqualTo(30);
        assertThat(connects(1_000_000)).hasSize((int) onN2).allSatisfy(c -> assertThat(c.node()).isNotEqualTo("n2"));
        assertThat(world.primitives()).containsEntry("crash", 1L);
    }

    @Test
    void shouldRefuseConnectionsToADeadNodeThatDiscoveryStillLists() {
        WorldConfig config = WorldConfig.defaults(List.of("n1", "n2"));
        config = config.withClient(config.client().withReconnect(new dev.chatlab.core.strategy.ReconnectPolicy.Immediate(10_000)));
        ChatWorld world = world(config, 20);
        world.runUntil(1_000_000);
        world.kill("n1");
        world.runUntil(3_000_000);
        assertThat(world.counters().get("device.connect-refused")).isPositive();
        assertThat(world.connectedDevices()).isEqualTo(20);
    }

    @Test
    void shouldGiveEachSideOfAPartitionAViewOfItsOwnSideAndMergeThemAfterTheHeal() {
        ChatWorld world = world(WorldConfig.defaults(List.of("n1", "n2", "n3")), 6);
        world.runUntil(1_000_000);
        long views = world.counters().get("membership.views");
        long cut = world.partition(List.of(List.of("n1"), List.of("n2", "n3")));
        world.runUntil(2_000_000);
        assertThat(world.counters().get("membership.views")).isEqualTo(views + 3);
        assertThat(world.heal(cut)).isTrue();
        assertThat(world.heal(cut)).isFalse();
        world.runUntil(3_000_000);
        assertThat(world.counters().get("membership.views")).isEqualTo(views + 6);
    }

    @Test
    void shouldDropEveryConnectionOfANodeInAMassDisconnectAndLetThemComeBack() {
        ChatWorld world = world(WorldConfig.defaults(List.of("n1", "n2")), 20);
        world.runUntil(1_000_000);
        long onN1 = connects(0).stream().filter(c -> c.node().equals("n1")).count();
        assertThat(world.massDisconnect("n1")).isTrue();
        world.runUntil(20_000_000);
        assertThat(world.counters().get("mass-disconnect.connections-dropped")).isEqualTo(onN1);
        assertThat(connects(1_000_000)).hasSize((int) onN1);
        assertThat(world.connectedDevices()).isEqualTo(20);
    }

    @Test
    void shouldCountPushesForOfflineMembers() {
        ChatWorld world = world(WorldConfig.defaults(List.of("n1", "n2")), 3);
        world.act(500_000, "u3", "d1", new UserAction.GoOffline());
        world.act(1_000_000, "u1", "d1", new UserAction.SendMessage("c1", "m1", "hello"));
        world.runUntil(3_000_000);
        assertThat(history).anyMatch(e -> e instanceof HistoryEvent.Ack);
        assertThat(world.counters().get("push.offline")).isEqualTo(1);
    }

    @Test
    void shouldStallStoreRepliesBehindAnLsmCompaction() {
        long calm = ackLatency(new StoreModel(StoreModel.Kind.LSM, 40, 250, 0, 0, 0));
        long stalled = ackLatency(new StoreModel(StoreModel.Kind.LSM, 40, 250, 0, 1, 50_000));
        // The append queues behind the compaction the claim before it set off (less the claim's round trip).
        assertThat(stalled - calm).isBetween(40_000L, 60_000L);
    }

    @Test
    void shouldMakeBtreeWritesCostlierThanLsmWrites() {
        long lsm = ackLatency(new StoreModel(StoreModel.Kind.LSM, 40, 250, 0, 0, 0));
        long btree = ackLatency(new StoreModel(StoreModel.Kind.BTREE, 5_000, 80, 0, 0, 0));
        assertThat(btree - lsm).isGreaterThanOrEqualTo(4_000);
    }

    /** Time from a send to its ack, when nothing else is going on. */
    private long ackLatency(StoreModel store) {
        history.clear();
        ChatWorld world = world(WorldConfig.defaults(List.of("n1")).withStore(store), 3);
        world.act(2_000_000, "u1", "d1", new UserAction.SendMessage("c1", "m1", "hello"));
        world.runUntil(4_000_000);
        long sent = history.stream().filter(e -> e instanceof HistoryEvent.Send).findFirst().orElseThrow().t();
        long acked = history.stream().filter(e -> e instanceof HistoryEvent.Ack).findFirst().orElseThrow().t();
        return acked - sent;
    }
}
