package dev.chatlab.core.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A removal is recorded only once every node said how many devices it told and each of them confirmed. */
class PendingRemovalTest {

    private static PendingRemoval removingBobOn(String... nodes) {
        return new PendingRemoval("bob", new TreeSet<>(List.of(nodes)));
    }

    @Test
    void shouldWaitForEveryNodeAndEveryDeviceItTold() {
        PendingRemoval removal = removingBobOn("n1", "n2");

        assertThat(removal.noticed(new PeerMessage.RemovalNoticed("c1", "bob", "n1", 2))).isTrue();
        assertThat(removal.heardFromAll()).isFalse();
        assertThat(removal.noticed(new PeerMessage.RemovalNoticed("c1", "bob", "n2", 0))).isTrue();
        assertThat(removal.heardFromAll()).as("two devices on n1 still show the chat").isFalse();
        assertThat(removal.confirmed(new PeerMessage.RemovalConfirmed("c1", "bob", "n1"))).isTrue();
        assertThat(removal.heardFromAll()).isFalse();
        assertThat(removal.confirmed(new PeerMessage.RemovalConfirmed("c1", "bob", "n1"))).isTrue();
        assertThat(removal.heardFromAll()).isTrue();
    }

    @Test
    void shouldIgnoreNoticesAndConfirmationsItDidNotAskFor() {
        PendingRemoval removal = removingBobOn("n1");

        assertThat(removal.noticed(new PeerMessage.RemovalNoticed("c1", "carol", "n1", 1))).as("another user").isFalse();
        assertThat(removal.confirmed(new PeerMessage.RemovalConfirmed("c1", "bob", "n1")))
                .as("n1 has told no device yet").isFalse();
        assertThat(removal.noticed(new PeerMessage.RemovalNoticed("c1", "bob", "n1", 1))).isTrue();
        assertThat(removal.noticed(new PeerMessage.RemovalNoticed("c1", "bob", "n1", 1))).as("n1 again").isFalse();
        assertThat(removal.heardFromAll()).isFalse();
    }

    @Test
    void shouldStopWaitingForANodeThatDiedAndItsDevices() {
        PendingRemoval removal = removingBobOn("n1", "n2");
        removal.noticed(new PeerMessage.RemovalNoticed("c1", "bob", "n1", 3));

        assertThat(removal.nodeSilent("n2")).isTrue();
        assertThat(removal.heardFromAll()).isFalse();
        removal.devicesGone("n1");
        assertThat(removal.heardFromAll()).isTrue();
    }
}
