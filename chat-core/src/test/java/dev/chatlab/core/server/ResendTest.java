package dev.chatlab.core.server;

import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A resent cmid is answered with its first ack and changes nothing anyone sees. */
class ResendTest {

    @Test
    void shouldAckAResendOfACommittedMessageWithoutPushingItAgain() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.hello("alice", "phone");
        long bob = n.hello("bob", "phone");
        n.frame(alice, new Frame.Send("c1", "m1", "first"));
        n.take(alice);
        assertThat(n.take(bob)).contains(new Frame.Deliver("c1", 1, "m1", "alice", "first", Via.PUSH));

        n.frame(alice, new Frame.Send("c1", "m1", "first"));
        n.frame(alice, new Frame.Send("c1", "m1", "a different body"));

        assertThat(n.take(alice)).containsExactly(new Frame.Ack("c1", "m1", 1), new Frame.Ack("c1", "m1", 1));
        assertThat(n.take(bob)).isEmpty();
        n.frame(bob, new Frame.Sync("c1", 0, 10));
        assertThat(n.take(bob)).containsExactly(new Frame.Deliver("c1", 1, "m1", "alice", "first", Via.SYNC),
                new Frame.SyncDone("c1", 1, false));
    }

    /** The owner that stored it may have died before announcing it: it is announced again, as stored. */
    @Test
    void shouldAnnounceAMessageStoredByAnEarlierOwnerWithItsStoredBody() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        n.store.apply(new StoreOp.Append("c1", StoreOp.UNFENCED,
                List.of(new StoreOp.NewMessage(1, "alice", "phone", "m1", "first"))));
        long alice = n.hello("alice", "phone");
        long bob = n.hello("bob", "phone");

        n.frame(alice, new Frame.Send("c1", "m1", "a different body"));

        assertThat(n.take(alice)).endsWith(new Frame.Ack("c1", "m1", 1));
        assertThat(n.take(bob)).endsWith(new Frame.Deliver("c1", 1, "m1", "alice", "first", Via.PUSH));
    }

    /**
     * An overloaded owner answers later than the client's timeout: the resend joins the send still
     * being written, gets the same ack, and takes no seq of its own (seqs stay gapless), and a later
     * resend is answered without writing at all.
     */
    @Test
    void shouldLetAResendWaitForItsOriginalInsteadOfSpendingASeq() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.hello("alice", "phone");
        long bob = n.hello("bob", "phone");
        n.take(alice);
        n.take(bob);
        n.storeHolds = op -> op instanceof StoreOp.Append;

        n.frame(alice, new Frame.Send("c1", "m1", "first"));
        n.frame(alice, new Frame.Send("c1", "m2", "second"));
        n.frame(alice, new Frame.Send("c1", "m1", "first"));
        n.releaseHeld();
        n.frame(alice, new Frame.Send("c1", "m3", "third"));

        assertThat(n.take(alice)).containsExactly(new Frame.Ack("c1", "m1", 1), new Frame.Ack("c1", "m1", 1),
                new Frame.Ack("c1", "m2", 2), new Frame.Ack("c1", "m3", 3));
        assertThat(n.take(bob)).extracting(f -> ((Frame.Deliver) f).seq()).containsExactly(1L, 2L, 3L);

        long appends = n.storeOps.stream().filter(op -> op instanceof StoreOp.Append).count();
        n.frame(alice, new Frame.Send("c1", "m2", "second"));
        assertThat(n.take(alice)).containsExactly(new Frame.Ack("c1", "m2", 2));
        assertThat(n.storeOps.stream().filter(op -> op instanceof StoreOp.Append).count())
                .as("a resend of a message this owner stored lately costs no write").isEqualTo(appends);
    }
}
