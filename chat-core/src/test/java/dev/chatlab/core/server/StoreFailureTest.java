package dev.chatlab.core.server;

import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.store.StoreOp;
import dev.chatlab.core.store.StoreResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A store that gives up on an operation never wedges the chat: the request is answered and the chat goes on. */
class StoreFailureTest {

    @Test
    void shouldFailASendTheStoreGaveUpOnAndServeTheNextOne() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        long bob = n.welcomed("bob");
        n.storeFault = op -> op instanceof StoreOp.Append a ? new StoreResult.Failed(a.chat(), "refused by the store") : null;

        n.frame(alice, new Frame.Send("c1", "m1", "poison"));
        List<Frame> answers = n.take(alice);
        assertThat(answers).hasSize(1).first().isInstanceOfSatisfying(Frame.Fail.class, fail -> {
            assertThat(fail.cmid()).isEqualTo("m1");
            assertThat(fail.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(fail.reason()).contains("refused by the store");
        });
        assertThat(n.take(bob)).isEmpty();

        n.storeFault = op -> null;
        n.frame(alice, new Frame.Send("c1", "m2", "fine"));
        assertThat(n.take(alice)).containsExactly(new Frame.Ack("c1", "m2", 1));
        assertThat(n.take(bob)).hasSize(1);
    }

    @Test
    void shouldEndASyncTheStoreGaveUpOnAndCloseASessionWhoseChatsCannotBeListed() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long alice = n.welcomed("alice");
        n.storeFault = op -> op instanceof StoreOp.ReadRange r ? new StoreResult.Failed(r.chat(), "store down") : null;
        n.frame(alice, new Frame.Sync("c1", 0, 10));
        assertThat(n.take(alice)).containsExactly(new Frame.SyncDone("c1", 0, true));

        n.storeFault = op -> op instanceof StoreOp.ChatsOf ? new StoreResult.Failed("", "store down") : null;
        long bob = n.hello("bob", "phone");
        assertThat(n.take(bob)).isEmpty();
        assertThat(n.closed).contains(bob);
    }
}
