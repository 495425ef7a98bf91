package dev.chatlab.reference.node;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.stores.ChatStore;
import dev.chatlab.stores.InMemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.chatlab.reference.node.TestSocket.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A store that fails a chat's write, however long, never leaves the chat or its later sends unanswered. */
class ChatNodeStoreFailureTest {

    static final String SECRET = "test-secret-of-some-length";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    /** Fails every append that carries a body "poison", as a store that cannot take it would. */
    private static final class PoisonedStore implements ChatStore {
        final InMemoryStore inner = new InMemoryStore();

        @Override
        public Future<StoreResult> apply(StoreOp op) {
            if (op instanceof StoreOp.Append a && a.messages().stream().anyMatch(m -> m.body().equals("poison"))) {
                return Future.failedFuture(new IllegalArgumentException("the store cannot take this body"));
            }
            return inner.apply(op);
        }

        @Override
        public Future<Void> seedChat(String chat, List<String> members) {
            return inner.seedChat(chat, members);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldFailASendTheStoreKeepsFailingThenServeTheChatAndCountIt() {
        PoisonedStore store = new PoisonedStore();
        await(store.seedChat("c1", List.of("alice", "bob")));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ChatNode node = new ChatNode(NodeSettings.defaults("n1", 1, 0, SECRET), store, new EventBusPeers(vertx),
                Membership.fixed(List.of("n1")), HistorySink.discard(), registry);
        await(vertx.deployVerticle(node));
        Tokens tokens = new Tokens(vertx, SECRET);
        TestSocket alice = TestSocket.open(vertx, node.port());
        alice.send(new Frame.Hello("alice", "d1", tokens.issue("alice", 600)));
        alice.await(Frame.Welcome.class);
        TestSocket bob = TestSocket.open(vertx, node.port());
        bob.send(new Frame.Hello("bob", "d1", tokens.issue("bob", 600)));
        bob.await(Frame.Welcome.class);

        long started = System.nanoTime();
        alice.send(new Frame.Send("c1", "m1", "poison"));
        alice.send(new Frame.Send("c1", "m2", "queued behind it"));
        Frame.Fail fail = alice.await(Frame.Fail.class, f -> f.cmid().equals("m1"));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(fail.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(waitedMillis).as("answered after the bounded retries").isBetween(4_000L, 9_000L);
        alice.send(new Frame.Send("c1", "m2", "queued behind it"));
        alice.send(new Frame.Send("c1", "m3", "after it"));
        assertThat(alice.await(Frame.Ack.class, a -> a.cmid().equals("m3")).seq()).isEqualTo(2);
        assertThat(bob.await(Frame.Deliver.class, d -> d.cmid().equals("m3")).body()).isEqualTo("after it");
        String metrics = registry.scrape();
        assertThat(metrics).contains("chatlab_store_gave_up_total 1.0");
        // Where the node's time went, by frame kind and store operation: four sends handled, appends timed.
        assertThat(metrics).contains("chatlab_frame_work_seconds_count{kind=\"send\"} 4\n")
                .containsPattern("chatlab_store_op_seconds_count\\{op=\"append\"\\} [1-9]");
    }

    /** A value PostgreSQL cannot hold fails the same way every time: given up at once, not after 5 s of retries. */
    @Test
    void shouldGiveUpAtOnceOnAPostgresDataException() {
        assertThat(ChatNode.refusedForGood(new io.vertx.pgclient.PgException(
                "invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null))).isTrue();
        assertThat(ChatNode.refusedForGood(new io.vertx.pgclient.PgException(
                "the database system is starting up", "FATAL", "57P03", null))).isFalse();
        assertThat(ChatNode.refusedForGood(new java.io.IOException("connection reset"))).isFalse();
    }
}
