package dev.chatlab.reference.cluster;

import dev.chatlab.core.protocol.Frame;
import dev.chatlab.reference.auth.Tokens;
import dev.chatlab.reference.node.TestSockets;
import dev.chatlab.stores.PostgresChatStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Three node processes and a PostgreSQL process on loopback: messages cross nodes, and survive a kill -9. */
class ClusterLauncherTest {

    @TempDir
    Path tempDir;

    @Test
    void shouldRouteAcrossNodesAndKeepTheChatAfterItsNodeIsKilled() throws Exception {
        Path dir = System.getProperty("chatlab.test.dir") != null ? Path.of(System.getProperty("chatlab.test.dir")) : tempDir;
        ClusterLauncher cluster = ClusterLauncher.start(ClusterLauncher.Plan.defaults(dir, 3)
                .withJvmArgs(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dchatlab.trace.peers=" + Boolean.getBoolean("chatlab.trace.peers"))));
        Vertx vertx = Vertx.vertx();
        try {
            assertThat(cluster.nodes()).extracting(ClusterLauncher.NodeInfo::name).containsExactly("n1", "n2", "n3");
            assertThat(Files.readString(cluster.logOf("n1"))).contains("READY");
            try (PostgresChatStore store = PostgresChatStore.connect(vertx, cluster.storeUrl(), 1)) {
                TestSockets.await(store.seedChat("c1", List.of("alice", "bob")));
            }
            Tokens tokens = new Tokens(vertx, cluster.secret());
            int p1 = cluster.nodes().get(0).port();
            int p3 = cluster.nodes().get(2).port();
            var alice = TestSockets.login(vertx, p1, "alice", tokens.issue("alice", 600));
            var bob = TestSockets.login(vertx, p3, "bob", tokens.issue("bob", 600));
            alice.send(new Frame.Send("c1", "m1", "across nodes"));
            assertThat(bob.await(Frame.Deliver.class, d -> d.cmid().equals("m1")).seq()).isEqualTo(1);

            assertThat(cluster.kill("n2")).isTrue();
            assertThat(cluster.isAlive("n2")).isFalse();
            // Whoever owned c1 (n2 or not), the chat goes on at seq 2 once membership settles.
            long seq = TestSockets.sendUntilAcked(alice, new Frame.Send("c1", "m2", "after the kill"), 10);
            assertThat(seq).isEqualTo(2);
            assertThat(bob.await(Frame.Deliver.class, d -> d.cmid().equals("m2")).seq()).isEqualTo(2);

            cluster.restart("n2");
            assertThat(cluster.isAlive("n2")).isTrue();
            assertThat(ClusterLauncher.open(dir).status()).hasSize(4).allMatch(line -> line.contains(" up"));
        } finally {
            cluster.stop();
            vertx.close();
        }
        assertThat(cluster.isAlive("n1")).isFalse();
    }
}
