package dev.chatlab.reference.node;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.bench.FuzzBench;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.stores.InMemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.chatlab.reference.node.TestSocket.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chatlab bench fuzz}'s engine against an in-process node: frames from
 * {@code chatlab.fuzz.frames} (50,000 by default), mutations from {@code chatlab.fuzz.seed}; every
 * probe answered, every frame owed an answer answered, every message acknowledged before the
 * fuzzing returned intact. A failure prints the seed.
 */
class GatewayFuzzTest {

    static final String SECRET = "test-secret-of-some-length";
    static final long FRAMES = Long.getLong("chatlab.fuzz.frames", 50_000);
    static final long SEED = Long.getLong("chatlab.fuzz.seed", 12);
    static final int FRAME_CHARS_MAX = 4096;
    static final int RATE = 4000;
    static final int BURST = 1000;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEveryFrameKeepServingAndKeepEveryAckedMessageWhileFuzzed() throws Exception {
        ChatNode node = new ChatNode(NodeSettings.defaults("n1", 1, 0, SECRET).withFrameCharsMax(FRAME_CHARS_MAX)
                .withRateLimit(RATE, BURST), new InMemoryStore(), new EventBusPeers(vertx), Membership.fixed(List.of("n1")),
                HistorySink.discard(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(vertx.deployVerticle(node));
        FuzzBench.Plan plan = new FuzzBench.Plan(List.of(node.port()), FRAMES, SEED, 4, RATE, BURST, FRAME_CHARS_MAX);
        FuzzBench.Report r = new FuzzBench(vertx, plan, new Tokens(vertx, SECRET), List::of).run(System.out);
        System.out.println("GatewayFuzzTest: seed=" + SEED + " " + r.summary());

        assertThat(r.failures()).as("seed=%d: %s", SEED, r.summary()).isEmpty();
        assertThat(r.framesSent()).isGreaterThanOrEqualTo(FRAMES);
        assertThat(r.acknowledgedBefore()).isEqualTo(36);
        assertThat(r.lost()).isZero();
        assertThat(r.unanswered()).isZero();
        assertThat(r.hangs()).isZero();
        // The fuzzing reached every kind of answer it is meant to provoke.
        assertThat(r.answers()).containsKeys("error bad-json", "error unknown-type", "error frame-too-large",
                "error rate-limited", "error not-authenticated", "close 1007", "ack", "pong (probe)");
        assertThat(r.floods()).isPositive();
    }
}
