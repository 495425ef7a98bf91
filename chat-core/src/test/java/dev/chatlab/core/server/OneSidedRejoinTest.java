package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that drops a peer from its view and takes it back, while the peer's own view never
 * changed, must learn the peer's connected devices again: the peer saw nobody join, so only an
 * answer to the returning node's snapshot can tell it (real-chaos-mix, after a one-way cut healed).
 */
class OneSidedRejoinTest {

    private static List<PeerMessage.DirectorySnapshot> snapshotsTo(String node, List<ServerEffect> effects) {
        return effects.stream().filter(e -> e instanceof ServerEffect.Route r && r.node().equals(node)
                        && r.message() instanceof PeerMessage.DirectorySnapshot)
                .map(e -> (PeerMessage.DirectorySnapshot) ((ServerEffect.Route) e).message()).toList();
    }

    @Test
    void shouldAnswerASnapshotFromANodeThatReaddedThisOneWithItsOwn() {
        ChatServerNode n1 = new ChatServerNode("n1", 1, ServerConfig.defaults());
        ChatServerNode n3 = new ChatServerNode("n3", 3, ServerConfig.defaults());
        ClusterView both = new ClusterView(1, List.of("n1", "n3"));
        List<ServerEffect> n1Joined = n1.onClusterView(both, 0);
        List<ServerEffect> n3Joined = n3.onClusterView(both, 0);
        n3.onFrame(7, new Frame.Hello("alice", "phone", null), 1_000);
        // The first exchange, both views changed: each sent its snapshot and needs no answer.
        assertThat(snapshotsTo("n3", n3.onPeer("n1", snapshotsTo("n3", n1Joined).get(0), 2_000))).isEmpty();
        assertThat(snapshotsTo("n1", n1.onPeer("n3", snapshotsTo("n1", n3Joined).get(0), 2_000))).isEmpty();

        // n1 alone drops n3 and takes it back; n3's view never changes.
        n1.onClusterView(new ClusterView(2, List.of("n1")), 3_000);
        List<ServerEffect> readded = n1.onClusterView(new ClusterView(3, List.of("n1", "n3")), 4_000);
        List<ServerEffect> answer = n3.onPeer("n1", snapshotsTo("n3", readded).get(0), 5_000);

        List<PeerMessage.DirectorySnapshot> back = snapshotsTo("n1", answer);
        assertThat(back).as("n3 answers with its directory").hasSize(1);
        assertThat(back.get(0).entries()).anySatisfy(du -> assertThat(du.user()).isEqualTo("alice"));
        assertThat(snapshotsTo("n3", n1.onPeer("n3", back.get(0), 6_000))).as("and the exchange ends there").isEmpty();
    }
}
