package dev.chatlab.core.server;

import dev.chatlab.core.cluster.ClusterView;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One live session per device: a newer one, on this node or another, closes the older. */
class SessionReplacementTest {

    private static List<Long> closed(List<ServerEffect> effects) {
        return effects.stream().filter(e -> e instanceof ServerEffect.CloseSession)
                .map(e -> ((ServerEffect.CloseSession) e).session()).toList();
    }

    @Test
    void shouldCloseTheOlderSessionWhenTheSameDeviceOpensANewerOneOnAnotherNode() {
        ChatServerNode n1 = new ChatServerNode("n1", 1, ServerConfig.defaults());
        n1.onClusterView(new ClusterView(1, List.of("n1", "n2")), 0);
        n1.onFrame(7, new Frame.Hello("alice", "phone", null), 1_000);
        n1.onFrame(8, new Frame.Hello("bob", "phone", null), 1_000);

        List<ServerEffect> older = n1.onPeer("n2",
                new PeerMessage.DirectoryUpdate("alice", "phone", "n2", true, 500), 2_000);
        assertThat(closed(older)).as("a session opened before this one's does not replace it").isEmpty();

        List<ServerEffect> newer = n1.onPeer("n2",
                new PeerMessage.DirectoryUpdate("alice", "phone", "n2", true, 1_500), 2_000);
        assertThat(closed(newer)).containsExactly(7L);
        assertThat(newer).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(ServerEffect.CloseSession.class,
                c -> assertThat(c.reason()).startsWith("replaced")));
        assertThat(n1.sessionCount()).isEqualTo(1);
    }

    @Test
    void shouldNotLetAnOlderSessionAnnouncedAgainCloseANewerOneElsewhere() {
        // alice's phone opened on n1 at 1 ms; n2 never answered, so n1 announces it again. Meanwhile the
        // phone opened a newer session on n2 (at 300 ms): the copy must say when n1's session opened,
        // not when the copy was sent, or n2 would take n1's session for the newer and close its own.
        ChatServerNode n1 = new ChatServerNode("n1", 1, ServerConfig.defaults());
        n1.onClusterView(new ClusterView(1, List.of("n1", "n2")), 0);
        n1.onFrame(7, new Frame.Hello("alice", "phone", null), 1_000);
        List<PeerMessage.DirectoryUpdate> again = n1.onTimer(ChatServerNode.CATCH_UP_TIMER, 501_000).stream()
                .filter(e -> e instanceof ServerEffect.Route r && r.message() instanceof PeerMessage.DirectoryUpdate)
                .map(e -> (PeerMessage.DirectoryUpdate) ((ServerEffect.Route) e).message()).toList();
        assertThat(again).singleElement().satisfies(u -> {
            assertThat(u.lastSeenMicros()).isEqualTo(1_000);
            assertThat(u.announcedMicros()).isEqualTo(501_000);
        });

        ChatServerNode n2 = new ChatServerNode("n2", 2, ServerConfig.defaults());
        n2.onClusterView(new ClusterView(1, List.of("n1", "n2")), 0);
        n2.onFrame(9, new Frame.Hello("alice", "phone", null), 300_000);
        assertThat(closed(n2.onPeer("n1", again.get(0), 502_000))).isEmpty();
        assertThat(n2.sessionCount()).isEqualTo(1);
    }

    @Test
    void shouldCloseTheOlderSessionOfTheSameDeviceOnTheSameNode() {
        ChatServerNode n1 = new ChatServerNode("n1", 1, ServerConfig.defaults());
        n1.onClusterView(new ClusterView(1, List.of("n1")), 0);
        n1.onFrame(7, new Frame.Hello("alice", "phone", null), 1_000);
        List<ServerEffect> second = n1.onFrame(8, new Frame.Hello("alice", "phone", null), 2_000);
        assertThat(closed(second)).containsExactly(7L);
        assertThat(n1.sessionCount()).isEqualTo(1);
    }
}
