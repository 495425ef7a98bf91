package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that drops a peer from its view and takes it back must learn the peer's connected
 * devices again, however the peer's view moved: not at all (a one-way cut healed), or out of step
 * (the peer took this node back first, and its snapshot went while this node still had it out).
 * Both orders were seen in real-chaos-mix runs, each leaving the chats' owner blind to a node's
 * devices and their deliveries unmade.
 */
class RejoinSnapshotTest {

    private ChatServerNode n1;
    private ChatServerNode n3;

    private static List<PeerMessage.DirectorySnapshot> snapshotsTo(String node, List<ServerEffect> effects) {
        return effects.stream().filter(e -> e instanceof ServerEffect.Route r && r.node().equals(node)
                        && r.message() instanceof PeerMessage.DirectorySnapshot)
                .map(e -> (PeerMessage.DirectorySnapshot) ((ServerEffect.Route) e).message()).toList();
    }

    private static PeerMessage.DirectorySnapshot only(List<PeerMessage.DirectorySnapshot> snapshots) {
        assertThat(snapshots).hasSize(1);
        return snapshots.get(0);
    }

    /** n1 and n3 see each other, n3 holds alice's phone, and each has the other's directory. */
    @BeforeEach
    void twoNodesThatKnowEachOther() {
        n1 = new ChatServerNode("n1", 1, ServerConfig.defaults());
        n3 = new ChatServerNode("n3", 3, ServerConfig.defaults());
        ClusterView both = new ClusterView(1, List.of("n1", "n3"));
        PeerMessage.DirectorySnapshot fromN1 = only(snapshotsTo("n3", n1.onClusterView(both, 0)));
        PeerMessage.DirectorySnapshot fromN3 = only(snapshotsTo("n1", n3.onClusterView(both, 0)));
        n3.onFrame(7, new Frame.Hello("alice", "phone", null), 1_000);
        assertThat(fromN1.asksBack()).as("a snapshot sent on a join asks for one back").isTrue();
        PeerMessage.DirectorySnapshot answer = only(snapshotsTo("n1", n3.onPeer("n1", fromN1, 2_000)));
        assertThat(answer.asksBack()).as("an answer never asks").isFalse();
        n1.onPeer("n3", fromN3, 2_000);
        assertThat(snapshotsTo("n3", n1.onPeer("n3", answer, 2_000))).as("the exchange ends with the answer").isEmpty();
        assertThat(n1.onlineDevicesOf("alice")).containsKey("phone");
    }

    @Test
    void shouldLearnThePeersDevicesAgainWhenOnlyThisNodesViewDroppedIt() {
        n1.onClusterView(new ClusterView(2, List.of("n1")), 3_000);
        assertThat(n1.onlineDevicesOf("alice")).isEmpty();
        PeerMessage.DirectorySnapshot ask = only(snapshotsTo("n3", n1.onClusterView(new ClusterView(3, List.of("n1", "n3")), 4_000)));

        n1.onPeer("n3", only(snapshotsTo("n1", n3.onPeer("n1", ask, 5_000))), 6_000);

        assertThat(n1.onlineDevicesOf("alice")).containsEntry("phone", "n3");
    }

    @Test
    void shouldLearnThePeersDevicesAgainWhenThePeerTookThisNodeBackFirstAndItsSnapshotWasLost() {
        n1.onClusterView(new ClusterView(2, List.of("n1")), 3_000);
        n3.onClusterView(new ClusterView(2, List.of("n3")), 3_050);
        // n3 takes n1 back first; its snapshot to n1 is lost (n1 still has n3 out of its view).
        assertThat(snapshotsTo("n1", n3.onClusterView(new ClusterView(3, List.of("n1", "n3")), 4_000))).hasSize(1);
        PeerMessage.DirectorySnapshot ask = only(snapshotsTo("n3", n1.onClusterView(new ClusterView(3, List.of("n1", "n3")), 6_000)));

        n1.onPeer("n3", only(snapshotsTo("n1", n3.onPeer("n1", ask, 7_000))), 8_000);

        assertThat(n1.onlineDevicesOf("alice")).containsEntry("phone", "n3");
    }
}
