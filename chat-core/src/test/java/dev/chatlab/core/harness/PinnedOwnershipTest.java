package dev.chatlab.core.harness;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.core.strategy.Ownership;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Chats pinned to a home node": each node keeps its chats in a store of its own, a chat's home
 * never moves, and while the home is down the chat is unavailable (sends fail) until the home
 * restarts and reads its chats back from its own disk.
 */
class PinnedOwnershipTest {

    static final List<String> NODES = List.of("n1", "n2", "n3");
    static final Ownership.PinnedHome PINNED = new Ownership.PinnedHome(NODES);

    private final List<HistoryEvent> history = new ArrayList<>();

    @Test
    void shouldPickTheHomeOverEveryConfiguredNodeWhateverIsLive() {
        ClusterView all = new ClusterView(1, NODES);
        for (int i = 0; i < 50; i++) {
            String chat = "c" + i;
            String home = PINNED.homeOf(chat);
            assertThat(home).isEqualTo(all.ownerOf(chat));
            List<String> others = new ArrayList<>(NODES);
            others.remove(home);
            assertThat(PINNED.ownerOf(chat, new ClusterView(2, others))).as("owner of %s with its home down", chat).isNull();
            assertThat(Ownership.followMembership().ownerOf(chat, new ClusterView(2, others))).isIn(others);
        }
    }

    @Test
    void shouldFailSendsWhileTheHomeIsDownAndServeTheChatFromItsDiskAfterItRestarts() {
        var cluster = new InMemoryCluster(3, ServerConfig.defaults().withOwnership(PINNED), ClientConfig.defaults(), history::add);
        cluster.addNodes(NODES.toArray(String[]::new));
        for (String[] d : new String[][] {{"alice", "phone"}, {"bob", "phone"}, {"bob", "laptop"}}) {
            cluster.addDevice(d[0], d[1]);
            cluster.act(1_000, d[0], d[1], new UserAction.GoOnline());
        }
        cluster.seedChat("c1", List.of("alice", "bob"));
        String home = PINNED.homeOf("c1");
        for (int i = 1; i <= 5; i++) {
            cluster.act(100_000 + i * 10_000L, "alice", "phone", new UserAction.SendMessage("c1", "before" + i, "x"));
        }
        cluster.crash(300_000, home);
        // Membership notices the crash after 0.5 s; devices that were on the home have reconnected by then.
        for (int i = 1; i <= 5; i++) {
            cluster.act(1_500_000 + i * 10_000L, "alice", "phone", new UserAction.SendMessage("c1", "down" + i, "x"));
        }
        cluster.restart(3_000_000, home);
        for (int i = 1; i <= 5; i++) {
            cluster.act(4_000_000 + i * 10_000L, "alice", "phone", new UserAction.SendMessage("c1", "after" + i, "x"));
        }
        cluster.quiesce(5_000_000);
        cluster.runUntil(15_000_000);

        HistoryJudge judge = HistoryJudge.judge(history);
        assertThat(judge.problems).isEmpty();
        assertThat(judge.fails).isEqualTo(5);
        assertThat(history).filteredOn(e -> e instanceof HistoryEvent.Fail f && f.cmid().startsWith("down")).hasSize(5);
        assertThat(judge.acks).isEqualTo(10);
        // The restarted home went on from the seqs on its disk: "after" messages follow "before" ones.
        assertThat(history).filteredOn(e -> e instanceof HistoryEvent.Ack a && a.cmid().startsWith("after"))
                .allMatch(e -> ((HistoryEvent.Ack) e).seq() > 5);
        assertThat(history).filteredOn(e -> e instanceof HistoryEvent.Deliver d && d.user().equals("bob"))
                .hasSize(20);
        assertThat(cluster.storeOfChat("c1").messageCount()).isEqualTo(10);
        for (String node : NODES) {
            if (!node.equals(home)) {
                assertThat(cluster.storeOfNode(node).messageCount()).as("messages on %s's disk", node).isZero();
            }
        }
    }
}
