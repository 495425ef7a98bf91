package dev.chatlab.core.server;

import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message's fan-out crosses to each node holding recipients once, whatever the number of
 * recipients there, and not at all to a node whose only device of the chat is the sender's own
 * (each crossing is a peer message encoded, written, read and decoded: the 3-node path's cost).
 */
class FanOutPerNodeTest {

    @Test
    void shouldSendOnePeerMessageANodeForAGroupsFanOutAndNoneBackToTheSendersOnlyDevice() {
        PinnedNodes c = new PinnedNodes("n1", "n2", "n3");
        String chat = c.chatHomedOn("n3", "g");
        c.seedChat(chat, List.of("alice", "bob", "carol", "dave"));
        long alice = c.welcomed("n1", "alice");
        long bob = c.welcomed("n2", "bob");
        long carol = c.welcomed("n2", "carol");
        long carolsLaptop = c.welcomed("n2", "carol", "laptop");
        long dave = c.welcomed("n3", "dave");
        c.routed.clear();

        c.frame(alice, new Frame.Send(chat, "m1", "hi all"));

        List<PinnedNodes.Routed> fanOut = c.routed.stream().filter(r -> r.message() instanceof PeerMessage.ToUsers).toList();
        assertThat(fanOut).as("one message to n2 for bob's and carol's three devices, none to n1 for alice's phone")
                .singleElement().satisfies(r -> {
                    assertThat(r.to()).isEqualTo("n2");
                    assertThat(((PeerMessage.ToUsers) r.message()).users()).containsExactly("bob", "carol");
                });
        for (long recipient : List.of(bob, carol, carolsLaptop, dave)) {
            assertThat(c.take(recipient)).as("session %d", recipient)
                    .anySatisfy(f -> assertThat(f).isInstanceOf(Frame.Deliver.class));
        }
        assertThat(c.take(alice)).as("the sender's device gets its ack, not its own message")
                .noneMatch(f -> f instanceof Frame.Deliver).anyMatch(f -> f instanceof Frame.Ack);
    }

    @Test
    void shouldStillReachTheSendersOtherDevicesOnTheirNode() {
        PinnedNodes c = new PinnedNodes("n1", "n2", "n3");
        String chat = c.chatHomedOn("n3", "g");
        c.seedChat(chat, List.of("alice", "bob"));
        long phone = c.welcomed("n1", "alice");
        long laptop = c.welcomed("n1", "alice", "laptop");
        c.welcomed("n2", "bob");

        c.frame(phone, new Frame.Send(chat, "m1", "from my phone"));

        assertThat(c.take(laptop)).anySatisfy(f -> assertThat(f).isInstanceOf(Frame.Deliver.class));
        assertThat(c.take(phone)).noneMatch(f -> f instanceof Frame.Deliver);
    }
}
