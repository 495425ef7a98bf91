package dev.chatlab.reference.node;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.stores.InMemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.chatlab.reference.node.TestSocket.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes in one JVM: a device's newer session on one node closes its older session on the other (4000). */
class SessionReplacedAcrossNodesTest {

    static final String SECRET = "test-secret-of-some-length";

    private final Vertx vertx = Vertx.vertx();
    /** The run's microsecond 0, shared by the nodes as a cluster's nodes share it: their clocks then agree. */
    private final long epochMillis = System.currentTimeMillis();
    /** The nodes hear the view once both listen, as a cluster's membership would tell them. */
    private final List<java.util.function.Consumer<List<String>>> views = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    private ChatNode start(String id, long number, InMemoryStore store) {
        ChatNode node = new ChatNode(NodeSettings.defaults(id, number, 0, SECRET).withEpochMillis(epochMillis), store, new EventBusPeers(vertx),
                views::add, HistorySink.discard(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(vertx.deployVerticle(node));
        return node;
    }

    @Test
    void shouldCloseTheOlderSessionOfADeviceWhenItOpensANewerOneOnAnotherNode() throws Exception {
        InMemoryStore store = new InMemoryStore();
        await(store.seedChat("c1", List.of("alice", "bob")));
        ChatNode n1 = start("n1", 1, store);
        ChatNode n2 = start("n2", 2, store);
        views.forEach(view -> view.accept(List.of("n1", "n2")));
        Tokens tokens = new Tokens(vertx, SECRET);

        TestSocket older = TestSocket.open(vertx, n1.port());
        older.send(new Frame.Hello("alice", "phone", tokens.issue("alice", 600)));
        older.await(Frame.Welcome.class);
        Thread.sleep(5);
        TestSocket newer = TestSocket.open(vertx, n2.port());
        newer.send(new Frame.Hello("alice", "phone", tokens.issue("alice", 600)));
        newer.await(Frame.Welcome.class);

        assertThat(older.awaitClose()).isEqualTo(ChatNode.CLOSE_BY_SERVER);
        TestSocket bob = TestSocket.open(vertx, n2.port());
        bob.send(new Frame.Hello("bob", "phone", tokens.issue("bob", 600)));
        bob.await(Frame.Welcome.class);
        bob.send(new Frame.Send("c1", "b1", "only the newer session gets this"));
        bob.await(Frame.Ack.class, a -> a.cmid().equals("b1"));
        assertThat(newer.await(Frame.Deliver.class, d -> d.cmid().equals("b1")).body()).isEqualTo("only the newer session gets this");
    }
}
