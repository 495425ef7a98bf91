package dev.chatlab.core.server;

import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every send is answered within a bound, even when the chat's owner never answers (a failover, a hung store). */
class SendAnswerBoundTest {

    @Test
    void shouldAnswerASendTheOwnerNeverAnswersWithUnavailableWithinTheBound() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        n.storeHangs = op -> op instanceof StoreOp.Append;

        n.frame(alice, new Frame.Send("c1", "m1", "into the void"));
        n.advance(ChatServerNode.SEND_ANSWER_MICROS_MAX / 2);
        assertThat(n.take(alice)).isEmpty();
        n.advance(ChatServerNode.SEND_ANSWER_MICROS_MAX / 2 + ChatServerNode.SEND_ANSWER_SWEEP_MICROS);

        assertThat(n.take(alice)).containsExactly(new Frame.Error(ErrorCode.UNAVAILABLE,
                "no answer from the owner of c1 in time; the outcome is unknown: resend with the same cmid", "c1", "m1"));
        n.advance(60_000_000);
        assertThat(n.take(alice)).as("answered once").isEmpty();
    }

    @Test
    void shouldNotAnswerAgainASendThatWasAcked() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        n.frame(alice, new Frame.Send("c1", "m1", "hi"));
        n.advance(60_000_000);
        assertThat(n.take(alice)).containsExactly(new Frame.Ack("c1", "m1", 1));
    }
}
