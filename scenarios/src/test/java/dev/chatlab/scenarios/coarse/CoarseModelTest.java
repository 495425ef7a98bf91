package dev.chatlab.scenarios.coarse;

import dev.chatlab.core.strategy.ReconnectPolicy;
import dev.chatlab.scenarios.coarse.CoarseConfig.CoarseFault;
import dev.chatlab.scenarios.coarse.CoarseConfig.StoreCost;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoarseModelTest {

    /** 4 servers of 2,000 connections, 6,000 devices, 200 messages/s for 30 s. */
    static CoarseConfig small() {
        return new CoarseConfig("small", 30_000_000, 4, 6_000, 1, 2_000, 200, 0, 86_400_000_000L, 16, 1.2, 0, 0,
                256, 30_000_000, 4, 200, 50, 2_000, 0.5, 16, StoreCost.lsm(), 20_000, 200, 300, 0.5, 500_000,
                3_000_000, new ReconnectPolicy.DecorrelatedBackoff(100_000, 5_000_000), 30_000_000, 1_000_000, List.of(), 1, 0, 0);
    }

    static CoarseModel run(CoarseConfig config, long seed) {
        CoarseModel model = new CoarseModel(config, seed, null);
        model.run();
        return model;
    }

    @Test
    void shouldAckAndDeliverWithoutFaultsAndKeepEveryoneConnected() {
        CoarseModel m = run(small(), 1);
        Map<String, Long> c = m.counts();
        assertThat(c.get("messages")).isBetween(5_400L, 6_600L);          // 200/s for 30 s, Poisson
        assertThat(c.get("acks")).isBetween(c.get("messages") - 20, c.get("messages"));
        assertThat(c.get("delivers")).isGreaterThan(c.get("acks"));     // groups have two members or more
        assertThat(c.get("reconnects")).isZero();
        assertThat(c.get("connected_at_end")).isEqualTo(6_000);
        assertThat(m.sendToAck().percentile(50)).isBetween(30_000L, 60_000L);   // two client hops of 20 ms median
    }

    @Test
    void shouldReconnectEveryDeviceOfAKilledServerThroughTheOthers() {
        CoarseModel m = run(small().withFaults(List.of(CoarseFault.kill(10_000_000, 1, 0))), 1);
        Map<String, Long> c = m.counts();
        assertThat(c.get("disconnects")).isEqualTo(1_500);
        assertThat(c.get("reconnects")).isEqualTo(1_500);
        assertThat(c.get("connected_at_end")).isEqualTo(6_000);
        assertThat(m.faultsByKind()).containsEntry("kill", 1L);
        CoarseModel.Series s = m.series();
        assertThat(s.open[9]).isEqualTo(6_000);
        assertThat(s.openMin[10]).isEqualTo(4_500);                 // the dip, even if it recovers within the second
        assertThat(Arrays.stream(s.reconnects, 10, 30).sum()).isEqualTo(1_500);
        // The busiest second wherever it falls holds at least the tallest whole-second bucket.
        assertThat(c.get("peak_connects_1s")).isBetween(Arrays.stream(s.reconnects).max().orElseThrow(), 1_500L);
    }

    @Test
    void shouldSpreadAKilledServersDevicesEvenlyOverTheSurvivorsAndWelcomeNoneBeforeTheViewsDropIt() {
        // 5 servers of 10,000 devices' room, 20,000 devices: n2's 4,000 come back through the other four.
        CoarseConfig five = new CoarseConfig("five", 30_000_000, 5, 20_000, 1, 10_000, 200, 0, 86_400_000_000L, 16, 1.2,
                0, 0, 256, 30_000_000, 4, 200, 50, 200, 0.5, 16, StoreCost.lsm(), 20_000, 200, 300, 0.5, 500_000,
                3_000_000, new ReconnectPolicy.DecorrelatedBackoff(100_000, 5_000_000), 30_000_000, 1_000_000,
                List.of(CoarseFault.kill(10_000_000, 1, 0)), 1, 0, 0);
        CoarseModel m = run(five, 1);
        long[] sessions = m.sessionsPerServer();
        assertThat(sessions[1]).isZero();
        for (int s : new int[] {0, 2, 3, 4}) {
            // 1,000 more each, give or take a binomial spread (sd 27); the next server on a ring of one
            // point a server gave n3 1,623 (its share and n2's).
            assertThat(sessions[s]).as("server n%d of %s", s + 1, Arrays.toString(sessions)).isBetween(4_900L, 5_100L);
        }
        // Devices notice the kill at once, but a welcome waits for the views to drop n2 (failure_detection, 500 ms).
        assertThat(m.reconnect().count()).isEqualTo(4_000);
        assertThat(m.reconnect().min()).isGreaterThanOrEqualTo(499_000L);   // the histogram keeps three digits
        assertThat(m.reconnect().percentile(50)).isLessThan(1_000_000L);
    }

    @Test
    void shouldClaimEachChatBeforeItsFirstMessageAndAKilledServersChatsAgain() {
        // 6,000 messages over 500 chats: every chat gets its first message, and is claimed then.
        CoarseModel steady = run(small().withChats(500), 1);
        assertThat(steady.counts()).containsEntry("claims", 500L);
        assertThat(steady.counts().get("store_writes")).isEqualTo(steady.counts().get("acks"));
        assertThat(run(small(), 1).counts()).containsEntry("claims", 0L);
        // The killed server's quarter of the claimed chats moves to the other three, which claim them again.
        CoarseModel killed = run(small().withChats(500).withFaults(List.of(CoarseFault.kill(10_000_000, 1, 0))), 1);
        assertThat(killed.counts().get("claims")).isBetween(610L, 625L);
    }

    @Test
    void shouldRefuseConnectionsWhenTheSurvivorsAreFullUntilTheServerReturns() {
        // 3 servers of 2,000 for 6,000 devices: after a kill the survivors cannot take the herd.
        CoarseConfig tight = new CoarseConfig("tight", 30_000_000, 3, 6_000, 1, 2_000, 50, 0, 86_400_000_000L, 8, 1.2,
                0, 0, 256, 30_000_000, 4, 200, 50, 2_000, 0.5, 16, StoreCost.lsm(), 20_000, 200, 300, 0.5, 500_000,
                3_000_000, new ReconnectPolicy.UniformJitter(1_000_000), 30_000_000, 1_000_000,
                List.of(CoarseFault.kill(5_000_000, 0, 10_000_000)), 1, 0, 0);
        CoarseModel m = run(tight, 3);
        assertThat(m.counts().get("connects_refused")).isGreaterThan(0);
        assertThat(m.series().open[10]).isEqualTo(4_000);                // while n1 is down
        assertThat(m.counts().get("connected_at_end")).isEqualTo(6_000); // back after the restart at 15 s
        assertThat(m.recoveries()).containsEntry("restart", 1L);
        assertThat(m.faultsByKind()).containsOnlyKeys("kill");
    }

    @Test
    void shouldShapeTheHerdByTheReconnectStrategy() {
        List<CoarseFault> kill = List.of(CoarseFault.kill(10_000_000, 0, 0));
        CoarseModel immediate = run(small().withReconnect(new ReconnectPolicy.Immediate(10_000)).withFaults(kill), 1);
        CoarseModel jitter = run(small().withReconnect(new ReconnectPolicy.UniformJitter(10_000_000)).withFaults(kill), 1);
        long peakImmediate = Arrays.stream(immediate.series().reconnects).max().orElseThrow();
        long peakJitter = Arrays.stream(jitter.series().reconnects).max().orElseThrow();
        assertThat(peakImmediate).isEqualTo(1_500);                 // everyone back within one second
        assertThat(peakJitter).isLessThan(400);                     // spread over ten
        assertThat(jitter.counts().get("reconnects")).isEqualTo(1_500);
    }

    @Test
    void shouldQueueAHerdBehindTheConnectCostAndTimeOutTheLongestWaits() {
        // 1,500 immediate reconnects at 50 ms each on 3 servers of 1 thread: 25 s of work, 3 s timeout.
        CoarseConfig slow = new CoarseConfig("slow", 30_000_000, 4, 6_000, 1, 2_000, 20, 0, 86_400_000_000L, 8, 1.2,
                0, 0, 256, 30_000_000, 1, 200, 50, 50_000, 0.2, 16, StoreCost.lsm(), 20_000, 200, 300, 0.5, 500_000,
                3_000_000, new ReconnectPolicy.Immediate(10_000), 30_000_000, 1_000_000,
                List.of(CoarseFault.kill(5_000_000, 0, 0)), 1, 0, 0);
        CoarseModel m = run(slow, 1);
        assertThat(m.counts().get("connect_timeouts")).isGreaterThan(0);
        assertThat(Arrays.stream(m.queueMax()).max().orElseThrow()).isGreaterThan(300);
    }

    @Test
    void shouldMakeBtreeWritesCostMoreThanLsmAppendsAtTheDefaults() {
        CoarseConfig busyStore = small().withMessagesPerSecond(2_000);
        long lsm = run(busyStore.withStore(new StoreCost(StoreCost.Kind.LSM, 40, 0.0, 0, 0, 0, 0)), 1).sendToAck().percentile(50);
        long btree = run(busyStore.withStore(new StoreCost(StoreCost.Kind.BTREE, 400, 0.0, 0, 0, 100_000_000, 200)), 1)
                .sendToAck().percentile(50);
        assertThat(btree - lsm).isBetween(200L, 1_000L);
    }

    @Test
    void shouldGiveTheSameRunForTheSameSeedAndAnotherForAnother() {
        CoarseConfig c = small().withFaults(List.of(CoarseFault.kill(10_000_000, 2, 5_000_000)));
        CoarseModel a = run(c, 42);
        CoarseModel b = run(c, 42);
        CoarseModel other = run(c, 43);
        assertThat(b.counts()).isEqualTo(a.counts());
        assertThat(b.series().ackP99).containsExactly(a.series().ackP99);
        assertThat(b.sendToDeliver().summary()).isEqualTo(a.sendToDeliver().summary());
        assertThat(other.counts()).isNotEqualTo(a.counts());
    }

    @Test
    void shouldRefuseAClusterTooSmallForItsDevices() {
        assertThatThrownBy(() -> new CoarseConfig("x", 1_000_000, 2, 300_000, 1, 100_000, 1, 0, 1, 8, 1.2, 0, 0, 256, 1,
                8, 1, 1, 1, 0, 1, StoreCost.lsm(), 1, 1, 1, 0, 1, 1, new ReconnectPolicy.Immediate(1), 1, 1, List.of(), 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add nodes");
    }
}
