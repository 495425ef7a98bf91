package dev.chatlab.reference.cluster;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.chaos.NodeChaosClient;
import dev.chatlab.reference.node.TestSockets;
import dev.chatlab.stores.PostgresChatStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three node processes with presence on Redis instead of Hazelcast (presence keys with a TTL,
 * topics over Redis pub/sub) and routing by topic, so every delivery to another node's device
 * goes through Redis: the nodes find each other, a message crosses nodes, a killed node leaves
 * the others' views within its TTL, and the chat goes on.
 */
class RedisPresenceClusterTest {

    @TempDir
    Path dir;

    @Test
    void shouldFindTheOtherNodesDeliverByTopicAndDropAKilledNode() throws Exception {
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, 3)
                .withNodeArgs(Map.of("presence", "redis", "routing", "pubsub"))
                .withJvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC")));
        Vertx vertx = Vertx.vertx();
        try {
            assertThat(cluster.redisUrl()).startsWith("redis://127.0.0.1:");
            awaitViews(cluster, List.of("n1", "n2", "n3"), "n1,n2,n3");
            // No Hazelcast ran: the nodes found each other through Redis alone.
            assertThat(Files.readString(cluster.logOf("n1"))).doesNotContain("Hazelcast");
            try (PostgresChatStore store = PostgresChatStore.connect(vertx, cluster.storeUrl(), 1)) {
                TestSockets.await(store.seedChat("c1", List.of("alice", "bob", "carol")));
            }
            Tokens tokens = new Tokens(vertx, cluster.secret());
            var alice = TestSockets.login(vertx, cluster.nodes().get(0).port(), "alice", tokens.issue("alice", 600));
            var carol = TestSockets.login(vertx, cluster.nodes().get(1).port(), "carol", tokens.issue("carol", 600));
            var bob = TestSockets.login(vertx, cluster.nodes().get(2).port(), "bob", tokens.issue("bob", 600));
            // A member on every node: whichever owns c1, its publish to a member's topic must reach another node.
            alice.send(new Frame.Send("c1", "m1", "across nodes by a Redis topic"));
            assertThat(bob.await(Frame.Deliver.class, d -> d.cmid().equals("m1")).seq()).isEqualTo(1);
            assertThat(carol.await(Frame.Deliver.class, d -> d.cmid().equals("m1")).seq()).isEqualTo(1);

            Redis redis = Redis.createClient(vertx, cluster.redisUrl());
            Response lastSeen = TestSockets.await(redis.send(Request.cmd(Command.HGETALL).arg("chatlab:chatlab-" + cluster.id() + ":last-seen")));
            assertThat(lastSeen.getKeys()).containsExactlyInAnyOrder("n1", "n2", "n3");
            redis.close();

            assertThat(cluster.kill("n2")).isTrue();
            awaitViews(cluster, List.of("n1", "n3"), "n1,n3");
            long seq = TestSockets.sendUntilAcked(alice, new Frame.Send("c1", "m2", "after the kill"), 10);
            assertThat(seq).isEqualTo(2);
            assertThat(bob.await(Frame.Deliver.class, d -> d.cmid().equals("m2")).seq()).isEqualTo(2);

            cluster.restart("n2");
            awaitViews(cluster, List.of("n1", "n2", "n3"), "n1,n2,n3");
        } finally {
            cluster.stop();
            vertx.close();
        }
        assertThat(ProcessHandle.of(cluster.redisPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** Waits (up to 20 s) until each of {@code nodes} reports {@code members} as its view. */
    private static void awaitViews(ClusterLauncher cluster, List<String> nodes, String members) throws Exception {
        NodeChaosClient client = new NodeChaosClient();
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (ClusterLauncher.NodeInfo n : cluster.nodes()) {
            if (!nodes.contains(n.name())) {
                continue;
            }
            String seen = "";
            while (!seen.equals(members) && System.nanoTime() < deadline) {
                seen = client.state(n.port()).getString("members", "");
                if (!seen.equals(members)) {
                    Thread.sleep(100);
                }
            }
            assertThat(seen).as("the view of %s", n.name()).isEqualTo(members);
        }
    }
}
