package dev.chatlab.core.harness;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Sequencing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The what-if the simulator sells: clock-based (Snowflake) ids, a node whose clock runs behind,
 * and a failover that hands it the chat. Its ids are smaller than those its predecessor gave,
 * so devices show newer messages before older ones. A search over seeds must find that, and the
 * same seed without the skew must keep order: the skew, not the failover alone, breaks it.
 */
class SnowflakeSkewTest {

    private static final long SKEW_MICROS = -5_000_000;

    @Test
    void shouldFindASeedWhereSkewedSnowflakeIdsBreakPerChatOrderAfterFailoverAndOnlyWithTheSkew() {
        long found = -1;
        List<String> problems = List.of();
        for (long seed = 1; seed <= 50 && found < 0; seed++) {
            problems = HistoryJudge.judge(run(Sequencing.SNOWFLAKE, seed, SKEW_MICROS)).problems;
            if (problems.stream().anyMatch(p -> p.startsWith("out of order"))) {
                found = seed;
            }
        }
        System.out.println("snowflake-skew: order broken at seed=" + found + ": " + problems.stream().limit(3).toList());
        assertThat(found).as("no seed in 1..50 broke per-chat order").isPositive();
        assertThat(HistoryJudge.judge(run(Sequencing.SNOWFLAKE, found, 0)).problems)
                .as("seed=%d without the skew (the control)", found).isEmpty();
    }

    @Test
    void shouldKeepOrderWithTheOwnerCounterUnderTheSameSkewAndFailover() {
        for (long seed = 1; seed <= 10; seed++) {
            assertThat(HistoryJudge.judge(run(Sequencing.OWNER_COUNTER, seed, SKEW_MICROS)).problems)
                    .as("seed=%d", seed).isEmpty();
        }
    }

    private static List<HistoryEvent> run(Sequencing sequencing, long seed, long skewMicros) {
        List<HistoryEvent> history = new ArrayList<>();
        var server = ServerConfig.defaults().withSequencing(sequencing).withFanOut(FanOut.push());
        var client = ClientConfig.defaults().withContiguousSeqs(sequencing.contiguous());
        var cluster = new InMemoryCluster(seed, server, client, history::add);
        List<String> nodes = List.of("n1", "n2", "n3");
        cluster.addNodes(nodes.toArray(String[]::new));
        String owner = new ClusterView(0, nodes).ownerOf("c1");
        List<String> survivors = new ArrayList<>(nodes);
        survivors.remove(owner);
        String successor = new ClusterView(0, survivors).ownerOf("c1");
        cluster.skewClock(0, successor, skewMicros);

        String[][] devices = {{"ann", "phone"}, {"ben", "phone"}, {"cat", "phone"}, {"cat", "laptop"}};
        for (String[] d : devices) {
            cluster.addDevice(d[0], d[1]);
            cluster.act(0, d[0], d[1], new UserAction.GoOnline());
        }
        cluster.seedChat("c1", List.of("ann", "ben", "cat"));
        for (int i = 0; i < 200; i++) {
            String[] d = devices[i % devices.length];
            cluster.act(100_000 + i * 10_000L, d[0], d[1], new UserAction.SendMessage("c1", d[0] + d[1] + i, "m" + i));
        }
        cluster.crash(1_000_000, owner);
        cluster.quiesce(3_000_000);
        cluster.runUntil(8_000_000);
        return history;
    }
}
