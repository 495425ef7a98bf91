package dev.chatlab.reference.node;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.stores.EmbeddedPostgresServer;
import dev.chatlab.stores.PostgresChatStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.chatlab.reference.node.TestSocket.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real node on an embedded PostgreSQL, real WebSocket clients: messages flow, and every kind
 * of bad input gets its error frame or close code while another session keeps delivering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatNodeGatewayTest {

    static final String SECRET = "test-secret-of-some-length";
    static final int FRAME_CHARS_MAX = 4096;

    private Vertx vertx;
    private EmbeddedPostgresServer postgres;
    private PostgresChatStore store;
    private ChatNode node;
    private Tokens tokens;
    private final AtomicInteger names = new AtomicInteger();

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        postgres = EmbeddedPostgresServer.start(null, 0);
        store = PostgresChatStore.connect(vertx, postgres.url(), 4);
        await(store.createSchema());
        NodeSettings settings = NodeSettings.defaults("n1", 1, 0, SECRET)
                .withFrameCharsMax(FRAME_CHARS_MAX).withRateLimit(20, 30);
        node = new ChatNode(settings, store, new EventBusPeers(vertx), Membership.fixed(List.of("n1")),
                HistorySink.discard(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        await(vertx.deployVerticle(node));
        tokens = new Tokens(vertx, SECRET);
    }

    @AfterAll
    void stop() throws Exception {
        // Closing Vert.x with the sockets the tests left open took more than 20 s in about one run in
        // three on a 2-core machine (the node's teardown, not what the tests check): allow a minute.
        vertx.close().toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
        store.close();
        postgres.close();
    }

    /** Fresh names per test, so tests share the node without seeing each other's chats. */
    private String name(String base) {
        return base + names.incrementAndGet();
    }

    private TestSocket login(String user) {
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Hello(user, "d1", tokens.issue(user, 600)));
        s.await(Frame.Welcome.class);
        return s;
    }

    /** Two users in a chat of their own; {@link #assertStillDelivers} proves the node serves them. */
    private final class Witness {
        final String chat = name("w");
        final String a = name("wa");
        final String b = name("wb");
        final TestSocket sa;
        final TestSocket sb;
        int sent;

        Witness() {
            await(store.seedChat(chat, List.of(a, b)));
            sa = login(a);
            sb = login(b);
        }

        void assertStillDelivers() {
            String cmid = a + "-" + (++sent);
            sa.send(new Frame.Send(chat, cmid, "still here"));
            Frame.Ack ack = sa.await(Frame.Ack.class, f -> f.cmid().equals(cmid));
            Frame.Deliver d = sb.await(Frame.Deliver.class, f -> f.cmid().equals(cmid));
            assertThat(d.seq()).isEqualTo(ack.seq());
            assertThat(d.from()).isEqualTo(a);
        }
    }

    @Test
    void shouldSequenceAndDeliverMessagesBetweenThreeUsers() {
        String chat = name("c");
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        await(store.seedChat(chat, List.of(alice, bob, carol)));
        TestSocket a = login(alice);
        TestSocket b = login(bob);
        TestSocket c = login(carol);
        a.send(new Frame.Send(chat, "m1", "hello"));
        b.send(new Frame.Send(chat, "m1", "hi"));
        Frame.Ack ackA = a.await(Frame.Ack.class);
        Frame.Ack ackB = b.await(Frame.Ack.class);
        assertThat(List.of(ackA.seq(), ackB.seq())).containsExactlyInAnyOrder(1L, 2L);
        Frame.Deliver first = c.await(Frame.Deliver.class);
        Frame.Deliver second = c.await(Frame.Deliver.class);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(b.await(Frame.Deliver.class).from()).isEqualTo(alice);
        a.send(new Frame.Ping(7));
        assertThat(a.await(Frame.Pong.class).nonce()).isEqualTo(7);
    }

    @Test
    void shouldAnswerMalformedJsonWithBadJsonAndKeepTheSession() {
        Witness w = new Witness();
        w.sa.sendText("{\"v\":1,\"type\":\"send\",");
        assertThat(w.sa.await(Frame.Error.class).code()).isEqualTo(ErrorCode.BAD_JSON);
        w.assertStillDelivers();
    }

    @Test
    void shouldAnswerAnUnknownFrameTypeWithUnknownType() {
        Witness w = new Witness();
        w.sa.sendText("{\"v\":1,\"type\":\"teleport\"}");
        assertThat(w.sa.await(Frame.Error.class).code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        w.assertStillDelivers();
    }

    @Test
    void shouldRefuseAnOversizeFrameAndCloseOneBeyondTheTransportLimit() {
        Witness w = new Witness();
        TestSocket s = login(name("big"));
        s.send(new Frame.Send(w.chat, "x", "y".repeat(FRAME_CHARS_MAX)));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        s.sendText("z".repeat(FRAME_CHARS_MAX * 4 + 1));
        // The WebSocket layer refuses it (1009, or 1006 when it drops the connection before a close frame).
        assertThat(s.awaitClose()).isIn((short) 1009, (short) 1006);
        w.assertStillDelivers();
    }

    @Test
    void shouldCloseATextFrameThatIsNotUtf8With1007() {
        Witness w = new Witness();
        byte[] notUtf8 = {'{', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
        TestSocket whole = login(name("utf"));
        whole.sendFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, notUtf8, true));
        assertThat(whole.awaitClose()).isEqualTo((short) 1007);
        // The same bytes split over fragments, the bad sequence cut in two.
        TestSocket fragmented = login(name("utf"));
        fragmented.sendFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, java.util.Arrays.copyOfRange(notUtf8, 0, 3), false));
        fragmented.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(java.util.Arrays.copyOfRange(notUtf8, 3, 7)), true));
        assertThat(fragmented.awaitClose()).isEqualTo((short) 1007);
        w.assertStillDelivers();
    }

    @Test
    void shouldCloseAHelloWithoutToken() {
        Witness w = new Witness();
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Hello(w.a, "d2", null));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(s.awaitClose()).isEqualTo(ChatNode.CLOSE_AUTH_FAILED);
        w.assertStillDelivers();
    }

    @Test
    void shouldCloseAHelloWithAnExpiredToken() {
        Witness w = new Witness();
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Hello(w.a, "d2", tokens.issueExpiringAt(w.a, System.currentTimeMillis() / 1000 - 60)));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(s.awaitClose()).isEqualTo(ChatNode.CLOSE_AUTH_FAILED);
        w.assertStillDelivers();
    }

    @Test
    void shouldCloseAHelloWithAForgedToken() {
        Witness w = new Witness();
        String forged = new Tokens(vertx, "another-secret-entirely").issue(w.a, 600);
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Hello(w.a, "d2", forged));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(s.awaitClose()).isEqualTo(ChatNode.CLOSE_AUTH_FAILED);
        w.assertStillDelivers();
    }

    @Test
    void shouldForbidAHelloAsAnotherUserThanTheToken() {
        Witness w = new Witness();
        String mallory = name("mallory");
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Hello(w.a, "d2", tokens.issue(mallory, 600)));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(s.awaitClose()).isEqualTo(ChatNode.CLOSE_FORBIDDEN);
        w.assertStillDelivers();
    }

    @Test
    void shouldRefuseFramesBeforeTheHello() {
        Witness w = new Witness();
        TestSocket s = TestSocket.open(vertx, node.port());
        s.send(new Frame.Send(w.chat, "sneaky", "hi"));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        w.assertStillDelivers();
    }

    @Test
    void shouldFailASendToAChatTheUserIsNotIn() {
        Witness w = new Witness();
        TestSocket s = login(name("outsider"));
        s.send(new Frame.Send(w.chat, "intrude", "hi"));
        Frame.Fail fail = s.await(Frame.Fail.class);
        assertThat(fail.code()).isEqualTo(ErrorCode.NOT_A_MEMBER);
        s.send(new Frame.Sync(w.chat, 0, 10));
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.NOT_A_MEMBER);
        w.assertStillDelivers();
    }

    @Test
    void shouldAnswerAFloodOverTheRateLimitWithRateLimited() {
        Witness w = new Witness();
        TestSocket s = login(name("flood"));
        for (int i = 0; i < 100; i++) {
            s.send(new Frame.Ping(i));
        }
        assertThat(s.await(Frame.Error.class).code()).isEqualTo(ErrorCode.RATE_LIMITED);
        w.assertStillDelivers();
    }

    @Test
    void shouldServeHealthMetricsAndThePushSink() {
        String chat = name("p");
        String alice = name("pa");
        String offline = name("po");
        await(store.seedChat(chat, List.of(alice, offline)));
        TestSocket a = login(alice);
        a.send(new Frame.Send(chat, "m1", "you are offline"));
        a.await(Frame.Ack.class);
        var http = vertx.createHttpClient();
        JsonObject health = get(http, "/health").toJsonObject();
        assertThat(health.getString("status")).isEqualTo("up");
        assertThat(health.getJsonArray("view").encode()).isEqualTo("[\"n1\"]");
        assertThat(get(http, "/metrics").toString()).contains("chatlab_frames_in_total");
        JsonObject pushes = get(http, "/pushes?after=0&limit=10000").toJsonObject();
        assertThat(pushes.getJsonArray("pushes").stream().map(JsonObject.class::cast))
                .anySatisfy(p -> {
                    assertThat(p.getString("user")).isEqualTo(offline);
                    assertThat(p.getString("chat")).isEqualTo(chat);
                    assertThat(p.getString("from")).isEqualTo(alice);
                });
    }

    /** PostgreSQL's text refuses NUL: a body with one once wedged its chat for good (issue 12). */
    @Test
    void shouldStoreAndReturnABodyWithNulAndLoneSurrogatesExactlyAndKeepTheChatGoing() {
        Witness w = new Witness();
        String body = "a\u0000b\ud800c\uD83D\uDE00";
        w.sa.send(new Frame.Send(w.chat, "nul-1", body));
        long seq = w.sa.await(Frame.Ack.class, a -> a.cmid().equals("nul-1")).seq();
        assertThat(w.sb.await(Frame.Deliver.class, d -> d.cmid().equals("nul-1")).body()).isEqualTo(body);
        w.sb.send(new Frame.Sync(w.chat, seq - 1, 10));
        assertThat(w.sb.await(Frame.Deliver.class, d -> d.cmid().equals("nul-1") && d.via() != null
                && d.via() == dev.chatlab.core.history.HistoryEvent.Via.SYNC).body()).isEqualTo(body);
        w.assertStillDelivers();
    }

    private Buffer get(io.vertx.core.http.HttpClient http, String path) {
        return await(http.request(HttpMethod.GET, node.port(), "127.0.0.1", path)
                .compose(req -> req.send())
                .compose(resp -> resp.body()));
    }
}
