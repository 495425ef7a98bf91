package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A watermark's rise is news to whoever sent a message it covers: the receipt goes to them, not to
 * every member (in a group of four that was three receipts a watermark, most of a run's frames).
 */
class ReceiptTargetTest {

    @Test
    void shouldSendAReceiptToTheSendersOfTheMessagesItCoversOnly() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob", "carol", "dave"));
        long alice = n.hello("alice", "phone");
        long bob = n.hello("bob", "phone");
        long carol = n.hello("carol", "phone");
        long dave = n.hello("dave", "phone");
        n.frame(alice, new Frame.Send("c1", "a1", "from alice"));
        n.frame(carol, new Frame.Send("c1", "c1", "from carol"));
        for (long s : List.of(alice, bob, carol, dave)) {
            n.take(s);
        }

        n.frame(bob, new Frame.Delivered("c1", 1));
        assertThat(receipts(n.take(alice))).containsExactly(new Frame.Receipt("c1", "bob", ReceiptState.DELIVERED, 1));
        assertThat(receipts(n.take(carol))).as("carol sent nothing up to seq 1").isEmpty();
        assertThat(receipts(n.take(dave))).isEmpty();

        n.frame(dave, new Frame.Read("c1", 2));
        assertThat(receipts(n.take(alice))).containsExactly(new Frame.Receipt("c1", "dave", ReceiptState.READ, 2));
        assertThat(receipts(n.take(carol))).containsExactly(new Frame.Receipt("c1", "dave", ReceiptState.READ, 2));
        assertThat(receipts(n.take(bob))).isEmpty();

        n.frame(carol, new Frame.Delivered("c1", 2));
        assertThat(receipts(n.take(alice))).as("carol's own message is no news to anyone but alice's")
                .containsExactly(new Frame.Receipt("c1", "carol", ReceiptState.DELIVERED, 2));
        assertThat(receipts(n.take(carol))).isEmpty();
    }

    @Test
    void shouldTellEveryMemberWhenTheOwnerDoesNotKnowWhoSentTheMessagesCovered() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob", "carol"));
        n.store.apply(new dev.chatlab.core.store.StoreOp.Append("c1", dev.chatlab.core.store.StoreOp.UNFENCED,
                List.of(new dev.chatlab.core.store.StoreOp.NewMessage(1, "alice", "phone", "a1", "stored before"))));
        long alice = n.hello("alice", "phone");
        long bob = n.hello("bob", "phone");
        long carol = n.hello("carol", "phone");
        n.take(alice);
        n.take(carol);

        // Stored before this owner claimed the chat: its sender is not known here.
        n.frame(bob, new Frame.Delivered("c1", 1));
        assertThat(receipts(n.take(alice))).containsExactly(new Frame.Receipt("c1", "bob", ReceiptState.DELIVERED, 1));
        assertThat(receipts(n.take(carol))).containsExactly(new Frame.Receipt("c1", "bob", ReceiptState.DELIVERED, 1));
    }

    private static List<Frame> receipts(List<Frame> frames) {
        return frames.stream().filter(f -> f instanceof Frame.Receipt).toList();
    }
}
