package dev.chatlab.reference.node;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.reference.store.InMemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.chatlab.reference.node.TestSocket.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and grammar-based mutations of every frame a device may send (and some only a server
 * sends), from sessions of a member and of an outsider, each batch followed by a {@code ping}
 * probe: the node must answer every probe (no hang), keep serving (no crash), and return every
 * message acknowledged before the fuzzing intact. Frames come from {@code chatlab.fuzz.frames}
 * (20,000 by default), the mutations from {@code chatlab.fuzz.seed}; a failure prints the seed.
 */
class GatewayFuzzTest {

    static final String SECRET = "test-secret-of-some-length";
    static final int FRAMES = Integer.getInteger("chatlab.fuzz.frames", 20_000);
    static final long SEED = Long.getLong("chatlab.fuzz.seed", 12);
    static final int PROBE_EVERY = 100;
    static final int FRAME_CHARS_MAX = 4096;

    private final Vertx vertx = Vertx.vertx();

    private final List<TestSocket> sockets = new ArrayList<>();

    @AfterEach
    void stop() {
        sockets.forEach(TestSocket::close);
        await(vertx.close());
    }

    private static final String[] SAMPLES = {
        "{\"type\":\"send\",\"chat\":\"f1\",\"cmid\":\"x1\",\"body\":\"hi \\u0000 \\ud800 😀\"}",
        "{\"type\":\"send\",\"chat\":\"c1\",\"cmid\":\"x2\",\"body\":\"intruder\"}",
        "{\"type\":\"delivered\",\"chat\":\"f1\",\"seq\":1}",
        "{\"type\":\"read\",\"chat\":\"c1\",\"seq\":9223372036854775807}",
        "{\"type\":\"typing\",\"chat\":\"f1\"}",
        "{\"type\":\"sync\",\"chat\":\"c1\",\"after_seq\":0,\"limit\":10000}",
        "{\"type\":\"sync\",\"chat\":\"made-up\",\"after_seq\":0,\"limit\":1}",
        "{\"type\":\"membership\",\"chat\":\"c1\",\"user\":\"mallory\",\"op\":\"add\"}",
        "{\"type\":\"membership\",\"chat\":\"f1\",\"user\":\"dave\",\"op\":\"remove\"}",
        "{\"type\":\"left\",\"chat\":\"c1\"}",
        "{\"type\":\"watch\",\"users\":[\"alice\",\"bob\",\"dave\"]}",
        "{\"type\":\"ping\",\"nonce\":-1}",
        "{\"type\":\"hello\",\"user\":\"alice\",\"device\":\"d9\",\"token\":\"x\"}",
        "{\"type\":\"ack\",\"chat\":\"c1\",\"cmid\":\"m\",\"seq\":1}",
        "{\"type\":\"deliver\",\"chat\":\"c1\",\"seq\":1,\"cmid\":\"m\",\"from\":\"bob\",\"body\":\"forged\"}",
        "{\"v\":2,\"type\":\"ping\",\"nonce\":1}",
    };
    private static final String[] ODD = {"\"", "{", "}", "[", "]", ",", ":", "\\", "\\u0000", "\\ud800", "😀", "-1",
        "1e999", "99999999999999999999", "null", "true", "\"seq\":0", "\u0000", "é", " "};

    private static String mutate(String sample, SplittableRandom r) {
        StringBuilder s = new StringBuilder(sample);
        switch (r.nextInt(9)) {
            case 0:
                return sample;
            case 1:
                s.deleteCharAt(r.nextInt(s.length()));
                return s.toString();
            case 2:
                s.insert(r.nextInt(s.length() + 1), ODD[r.nextInt(ODD.length)]);
                return s.toString();
            case 3:
                return s.substring(0, r.nextInt(s.length()));
            case 4:
                return s.insert(s.length() - 1, ",\"chat\":\"c1\",\"seq\":" + r.nextLong()).toString();
            case 5:
                return "[".repeat(r.nextInt(1, 60)) + sample + "]".repeat(r.nextInt(60));
            case 6: {
                char[] junk = new char[r.nextInt(1, 64)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (char) r.nextInt(0x20, 0x7f);
                }
                return new String(junk);
            }
            case 7:
                return sample.replaceFirst("\"type\":\"[a-z-]+\"", "\"type\":\"" + SAMPLES[r.nextInt(SAMPLES.length)]
                        .replaceAll(".*\"type\":\"([a-z-]+)\".*", "$1") + "\"");
            default:
                // Oversize, but within what the WebSocket layer takes, so the protocol answers it.
                return sample.replace("\"type\"", "\"pad\":\"" + "p".repeat(FRAME_CHARS_MAX + r.nextInt(FRAME_CHARS_MAX)) + "\",\"type\"");
        }
    }

    @Test
    void shouldAnswerEveryProbeKeepServingAndKeepEveryAckedMessageWhileFuzzed() {
        System.out.println("GatewayFuzzTest: seed=" + SEED + " frames=" + FRAMES);
        InMemoryStore store = new InMemoryStore();
        await(store.seedChat("c1", List.of("alice", "bob")));
        await(store.seedChat("f1", List.of("carol", "dave")));
        ChatNode node = new ChatNode(NodeSettings.defaults("n1", 1, 0, SECRET).withFrameCharsMax(FRAME_CHARS_MAX)
                .withRateLimit(1_000_000, 1_000_000), store, new EventBusPeers(vertx), Membership.fixed(List.of("n1")),
                HistorySink.discard(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(vertx.deployVerticle(node));
        Tokens tokens = new Tokens(vertx, SECRET);
        TestSocket alice = login(node, tokens, "alice");
        List<Frame.Ack> acked = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alice.send(new Frame.Send("c1", "before-" + i, "body " + i + " \u0000\ud800"));
            int n = i;
            acked.add(alice.await(Frame.Ack.class, a -> a.cmid().equals("before-" + n)));
        }

        SplittableRandom random = new SplittableRandom(SEED);
        String[] users = {"carol", "mallory"};
        TestSocket[] fuzzers = {login(node, tokens, users[0]), login(node, tokens, users[1])};
        long probes = 0;
        for (int i = 0; i < FRAMES; i++) {
            int c = random.nextInt(fuzzers.length);
            fuzzers[c].sendText(mutate(SAMPLES[random.nextInt(SAMPLES.length)], random));
            if ((i + 1) % PROBE_EVERY == 0) {
                for (int k = 0; k < fuzzers.length; k++) {
                    long nonce = ((long) i << 8) | k;
                    fuzzers[k].send(new Frame.Ping(nonce));
                    // A session the node closed, or a node that hangs, answers no probe: the await fails.
                    fuzzers[k].await(Frame.Pong.class, p -> p.nonce() == nonce);
                    probes++;
                }
            }
        }

        assertThat(probes).isEqualTo((long) FRAMES / PROBE_EVERY * fuzzers.length);
        TestSocket bob = login(node, tokens, "bob");
        bob.send(new Frame.Sync("c1", 0, 10_000));
        List<Frame.Deliver> got = new ArrayList<>();
        for (Frame.Ack ack : acked) {
            got.add(bob.await(Frame.Deliver.class, d -> d.cmid().equals(ack.cmid())));
        }
        for (int i = 0; i < acked.size(); i++) {
            assertThat(got.get(i).seq()).as("seed=%d", SEED).isEqualTo(acked.get(i).seq());
            assertThat(got.get(i).body()).as("seed=%d", SEED).isEqualTo("body " + i + " \u0000\ud800");
            assertThat(got.get(i).from()).isEqualTo("alice");
        }
    }

    private TestSocket login(ChatNode node, Tokens tokens, String user) {
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Hello(user, "d1", tokens.issue(user, 600)));
        s.await(Frame.Welcome.class);
        sockets.add(s);
        return s;
    }
}
