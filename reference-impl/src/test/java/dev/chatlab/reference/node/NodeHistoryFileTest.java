package dev.chatlab.reference.node;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.ClusterLauncher;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.reference.cluster.NodeHistoryFile;
import dev.chatlab.stores.InMemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.chatlab.reference.node.TestSocket.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node records its server's own history events (membership changes) in its history file,
 * on the host clock the fleet shares, as the simulator's servers record them into the run's history.
 */
class NodeHistoryFileTest {

    private static final String SECRET = "test-secret-of-some-length";

    @TempDir
    Path dir;

    @Test
    void shouldRecordAMembershipChangeTheNodeCommitsOnTheHostClock() throws Exception {
        Path file = dir.resolve("n1-history.jsonl");
        Vertx vertx = Vertx.vertx();
        InMemoryStore store = new InMemoryStore();
        long before = System.nanoTime() / 1000;
        try (NodeHistoryFile history = NodeHistoryFile.append(file)) {
            await(store.seedChat("c1", List.of("alice", "bob")));
            ChatNode node = new ChatNode(NodeSettings.defaults("n1", 1, 0, SECRET), store, new EventBusPeers(vertx),
                    Membership.fixed(List.of("n1")), history, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            await(vertx.deployVerticle(node));
            Tokens tokens = new Tokens(vertx, SECRET);
            TestSocket alice = TestSocket.open(vertx, node.port());
            alice.send(new Frame.Hello("alice", "phone", tokens.issue("alice", 600)));
            alice.await(Frame.Welcome.class);
            TestSocket carol = TestSocket.open(vertx, node.port());
            carol.send(new Frame.Hello("carol", "phone", tokens.issue("carol", 600)));
            carol.await(Frame.Welcome.class);
            alice.send(new Frame.Membership("c1", "carol", MemberOp.ADD));
            carol.await(Frame.Membership.class, m -> m.chat().equals("c1"));
        } finally {
            await(vertx.close());
        }
        long after = System.nanoTime() / 1000;

        List<HistoryEvent> onHostClock = NodeHistoryFile.readFrom(file, 0);
        assertThat(onHostClock).singleElement().satisfies(e -> {
            assertThat(e).isInstanceOf(HistoryEvent.Member.class);
            assertThat(((HistoryEvent.Member) e).user()).isEqualTo("carol");
            assertThat(((HistoryEvent.Member) e).op()).isEqualTo(MemberOp.ADD);
            assertThat(e.t()).isBetween(before, after);
        });
        // On a fleet's clock whose zero is `before` on the host's, the event lands inside the run.
        assertThat(NodeHistoryFile.readFrom(file, before)).singleElement()
                .satisfies(e -> assertThat(e.t()).isBetween(0L, after - before));
    }

    @Test
    void shouldAppendEveryIncarnationOfTheNodeToOneFileAndReadAMissingFileAsEmpty() throws Exception {
        Path file = dir.resolve("n2-history.jsonl");
        assertThat(NodeHistoryFile.readFrom(file, 0)).isEmpty();
        try (NodeHistoryFile first = NodeHistoryFile.append(file)) {
            first.accept(new HistoryEvent.Member(5, "c1", "dan", MemberOp.ADD));
        }
        try (NodeHistoryFile restarted = NodeHistoryFile.append(file)) {
            restarted.accept(new HistoryEvent.Member(7, "c1", "dan", MemberOp.REMOVE));
        }
        List<HistoryEvent> events = NodeHistoryFile.readFrom(file, 0);
        assertThat(events).extracting(e -> ((HistoryEvent.Member) e).op()).containsExactly(MemberOp.ADD, MemberOp.REMOVE);
        assertThat(events.get(0).t()).isLessThanOrEqualTo(events.get(1).t());
        // An event from before the fleet's zero is put at its zero.
        assertThat(NodeHistoryFile.readFrom(file, Long.MAX_VALUE)).allSatisfy(e -> assertThat(e.t()).isZero());
    }

    @Test
    void shouldGiveEveryLaunchedNodeItsHistoryFile() throws Exception {
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, 1).withStore("memory")
                .withJvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC")));
        try {
            assertThat(cluster.historyOf("n1")).exists();
            assertThat(Files.readString(cluster.logOf("n1"))).contains("READY");
        } finally {
            cluster.stop();
        }
    }
}
