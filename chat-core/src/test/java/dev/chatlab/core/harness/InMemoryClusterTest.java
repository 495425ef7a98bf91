package dev.chatlab.core.harness;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.server.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryClusterTest {

    private final List<HistoryEvent> history = new ArrayList<>();

    private InMemoryCluster threeNodesTwoUsers(long seed) {
        var cluster = new InMemoryCluster(seed, ServerConfig.defaults(), ClientConfig.defaults(), history::add);
        cluster.addNodes("n1", "n2", "n3");
        cluster.addDevice("alice", "phone");
        cluster.addDevice("bob", "phone");
        cluster.addDevice("bob", "laptop");
        cluster.seedChat("c1", List.of("alice", "bob"));
        for (String[] d : new String[][] {{"alice", "phone"}, {"bob", "phone"}, {"bob", "laptop"}}) {
            cluster.act(1_000, d[0], d[1], new UserAction.GoOnline());
        }
        return cluster;
    }

    @Test
    void shouldDeliverAMessageToEveryOtherMemberDeviceInOrder() {
        var cluster = threeNodesTwoUsers(1);
        for (int i = 1; i <= 20; i++) {
            cluster.act(100_000 + i * 1_000L, "alice", "phone", new UserAction.SendMessage("c1", "a" + i, "hello " + i));
        }
        cluster.quiesce(1_000_000);
        cluster.runUntil(5_000_000);

        var judge = HistoryJudge.judge(history);
        assertThat(judge.problems).isEmpty();
        assertThat(judge.acks).isEqualTo(20);
        assertThat(judge.delivers).isEqualTo(40);
    }

    @Test
    void shouldRedeliverUnackedMessagesAfterTheOwnerNodeDies() {
        var cluster = threeNodesTwoUsers(7);
        for (int i = 1; i <= 50; i++) {
            cluster.act(100_000 + i * 2_000L, "alice", "phone", new UserAction.SendMessage("c1", "a" + i, "m" + i));
            cluster.act(101_000 + i * 2_000L, "bob", "laptop", new UserAction.SendMessage("c1", "b" + i, "m" + i));
        }
        cluster.crash(150_000, "n1");
        cluster.crash(170_000, "n2");
        cluster.restart(900_000, "n1");
        cluster.quiesce(3_000_000);
        cluster.runUntil(10_000_000);

        var judge = HistoryJudge.judge(history);
        assertThat(judge.problems).isEmpty();
        assertThat(judge.acks).isEqualTo(100);
        assertThat(cluster.counters()).containsEntry("fault.node-crash", 2L);
    }

    @Test
    void shouldReplayTheSameHistoryFromTheSameSeed() {
        var first = runWithSeed(42);
        var second = runWithSeed(42);
        var other = runWithSeed(43);
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private List<HistoryEvent> runWithSeed(long seed) {
        history.clear();
        var cluster = threeNodesTwoUsers(seed);
        for (int i = 1; i <= 10; i++) {
            cluster.act(100_000 + i * 3_000L, "bob", "phone", new UserAction.SendMessage("c1", "b" + i, "x"));
        }
        cluster.crash(120_000, "n3");
        cluster.quiesce(1_000_000);
        cluster.runUntil(3_000_000);
        return new ArrayList<>(history);
    }
}
