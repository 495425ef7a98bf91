package dev.chatlab.reference.chaos;

import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.server.PeerMessage;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.reference.cluster.EventBusPeers;
import dev.chatlab.reference.cluster.Membership;
import dev.chatlab.reference.cluster.PeerNetwork;
import dev.chatlab.reference.node.ChatNode;
import dev.chatlab.reference.node.NodeSettings;
import dev.chatlab.stores.InMemoryStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.chatlab.reference.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node's own chaos: the endpoint refuses changes unless the node was started with chaos on, and
 * refuses bad bodies; a skew shifts the node's clock; a slow store holds completions back in
 * order; cut links drop messages both ways, only to and from the nodes named.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeChaosTest {

    private Vertx vertx;
    private ChatNode withChaos;
    private ChatNode withoutChaos;
    private final NodeChaos chaos = NodeChaos.enabled();
    private final NodeChaosClient client = new NodeChaosClient();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        withChaos = node("n1").withChaos(chaos);
        withoutChaos = node("n2");
        await(vertx.deployVerticle(withChaos));
        await(vertx.deployVerticle(withoutChaos));
    }

    private ChatNode node(String name) {
        return new ChatNode(NodeSettings.defaults(name, 1, 0, "secret-of-some-length"), new InMemoryStore(),
                new EventBusPeers(vertx), Membership.fixed(List.of(name)), HistorySink.discard(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterAll
    void stop() {
        await(vertx.close());
    }

    @Test
    void shouldRefuseAnyChangeOnANodeStartedWithoutChaos() throws Exception {
        assertThatThrownBy(() -> client.apply(withoutChaos.port(), -5_000_000, 1, Set.of(), Set.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("403").hasMessageContaining("--chaos on");
        assertThat(client.state(withoutChaos.port()).getBoolean("enabled")).isFalse();
        assertThat(client.state(withoutChaos.port()).getLong("clock_offset_us")).isZero();
    }

    @Test
    void shouldShiftTheNodesClockByTheSkewAndBackWhenItEnds() throws Exception {
        long before = pushTime();
        client.apply(withChaos.port(), -5_000_000, 1, Set.of(), Set.of());
        long skewed = pushTime();
        client.apply(withChaos.port(), 0, 1, Set.of(), Set.of());
        long after = pushTime();

        // The push sink stamps each push with the node's now(): the clock the protocol reads.
        // (Between two readings some real time passes too: up to 2 s on a loaded machine.)
        assertThat(skewed - before).isBetween(-5_000_000L, -3_000_000L);
        assertThat(after - before).isBetween(0L, 2_000_000L);
    }

    private long pushTime() throws Exception {
        int port = withChaos.port();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pushes"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"u\",\"chat\":\"c\",\"seq\":1,\"from\":\"v\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(204);
        JsonArray pushes = new JsonObject(get(port, "/pushes?after=0&limit=10000")).getJsonArray("pushes");
        return pushes.getJsonObject(pushes.size() - 1).getLong("t");
    }

    @Test
    void shouldRefuseABadBodyAndKeepTheStateItHad() throws Exception {
        int port = withChaos.port();
        client.apply(port, 0, 3, Set.of("n3"), Set.of());
        for (String body : List.of("not json", "[1]", "{\"disk_factor\": 0.5}", "{\"disk_factor\": \"fast\"}",
                "{\"clock_offset_us\": 1.5}", "{\"clock_offset_us\": 100000000000000}", "{\"drop_to\": \"n2\"}",
                "{\"drop_to\": [7]}", "{\"clock_skew\": 5}")) {
            HttpResponse<String> r = post(port, body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getString("error")).as(body).isNotBlank();
        }
        JsonObject state = client.state(port);
        assertThat(state.getDouble("disk_factor")).isEqualTo(3.0);
        assertThat(state.getJsonArray("drop_to")).containsExactly("n3");
        client.apply(port, 0, 1, Set.of(), Set.of());
    }

    @Test
    void shouldHoldStoreCompletionsBackByTheFactorInTheOrderTheyCompleted() throws Exception {
        NodeChaos local = NodeChaos.enabled();
        SlowStore store = new SlowStore(vertx, new InMemoryStore(), local);
        await(store.seedChat("c1", List.of("a", "b")));
        // The in-memory store answers at once; at factor 1 nothing holds the answer back.
        assertThat(store.apply(new StoreOp.ReadRange("c1", 0, 10)).isComplete()).isTrue();
        local.replace(new JsonObject().put("disk_factor", 21));
        List<Integer> order = new ArrayList<>();
        long started = System.nanoTime();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            calls.add(store.apply(new StoreOp.ReadRange("c1", 0, 10)).onSuccess(r -> {
                synchronized (order) {
                    order.add(n);
                }
            }));
        }
        for (Future<?> f : calls) {
            await(f);
        }
        long slowMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // Each call is taken to last at least 1 ms, so at factor 21 it comes back 20 ms later or more.
        assertThat(slowMillis).isGreaterThanOrEqualTo(20);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        assertThat(local.toJson().getLong("store_ops_slowed")).isEqualTo(5);
    }

    @Test
    void shouldDropMessagesToAndFromCutNodesOnly() {
        NodeChaos local = NodeChaos.enabled();
        RecordingPeers inner = new RecordingPeers();
        CutPeers peers = new CutPeers(inner, local);
        List<String> heard = new ArrayList<>();
        peers.start("n1", (from, message) -> heard.add(from));
        PeerMessage m = new PeerMessage.TypingReport("c1", "u1", "d1", "n1", 0);

        local.replace(new JsonObject().put("drop_to", new JsonArray().add("n2")).put("drop_from", new JsonArray().add("n3")));
        peers.send("n2", m);
        peers.send("n3", m);
        inner.inbox.onPeer("n3", m);
        inner.inbox.onPeer("n2", m);

        assertThat(inner.sentTo).containsExactly("n3");
        assertThat(heard).containsExactly("n2");
        assertThat(peers.dropped()).isEqualTo(2);
        assertThat(local.toJson().getLong("peer_messages_dropped")).isEqualTo(2);

        local.replace(new JsonObject());
        peers.send("n2", m);
        inner.inbox.onPeer("n3", m);
        assertThat(inner.sentTo).containsExactly("n3", "n2");
        assertThat(heard).containsExactly("n2", "n3");
    }

    @Test
    void shouldRefuseChangesWhenOffEvenInProcess() {
        assertThatThrownBy(() -> NodeChaos.off().replace(new JsonObject().put("disk_factor", 2)))
                .isInstanceOf(IllegalStateException.class);
    }

    /** A peer network that only records what it was asked to send and hands out its inbox. */
    private static final class RecordingPeers implements PeerNetwork {
        final List<String> sentTo = new ArrayList<>();
        Inbox inbox;

        @Override
        public Future<Void> start(String self, Inbox target) {
            inbox = target;
            return Future.succeededFuture();
        }

        @Override
        public void send(String node, PeerMessage message) {
            sentTo.add(node);
        }

        @Override
        public void publish(String topic, PeerMessage message) {
        }

        @Override
        public void subscribe(String topic) {
        }

        @Override
        public void unsubscribe(String topic) {
        }

        @Override
        public long dropped() {
            return 0;
        }
    }

    private HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chaos"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void shouldKeepEachMembershipViewWithItsTimeAndSkipRepeats() {
        NodeChaos chaos = NodeChaos.off();
        chaos.recordView(List.of("n2", "n1", "n3"), 1_000);
        chaos.recordView(List.of("n1", "n2", "n3"), 2_000);
        chaos.recordView(List.of("n1"), 3_000);

        JsonObject json = chaos.toJson();
        assertThat(json.getString("members")).isEqualTo("n1");
        assertThat(json.getLong("view_changes")).isEqualTo(2);
        assertThat(json.getJsonArray("views")).containsExactly(
                new JsonObject().put("at_ms", 1_000L).put("members", "n1,n2,n3"),
                new JsonObject().put("at_ms", 3_000L).put("members", "n1"));
    }
}
