package dev.chatlab.core.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryChatStoreTest {

    private final InMemoryChatStore store = new InMemoryChatStore();

    private StoreResult append(long epoch, long seq, String cmid) {
        return store.apply(new StoreOp.Append("c1", epoch, List.of(new StoreOp.NewMessage(seq, "alice", "phone", cmid, "hi"))));
    }

    @Test
    void shouldRefuseAStaleOwnerOnceANewOneHasClaimedTheChat() {
        long first = ((StoreResult.Claimed) store.apply(new StoreOp.Claim("c1", "n1"))).epoch();
        long second = ((StoreResult.Claimed) store.apply(new StoreOp.Claim("c1", "n2"))).epoch();
        assertThat(second).isGreaterThan(first);
        assertThat(append(first, 1, "m1")).isInstanceOf(StoreResult.Fenced.class);
        assertThat(append(second, 1, "m1")).isInstanceOf(StoreResult.Appended.class);
    }

    @Test
    void shouldAnswerARetriedCmidWithItsOriginalSeq() {
        long epoch = ((StoreResult.Claimed) store.apply(new StoreOp.Claim("c1", "n1"))).epoch();
        append(epoch, 1, "m1");
        var retried = (StoreResult.Appended) append(epoch, 2, "m1");
        assertThat(retried.outcomes()).containsExactly(new StoreResult.Outcome(1, true));
        assertThat(store.messageCount()).isEqualTo(1);
    }

    @Test
    void shouldLetTheLastUnfencedWriterOverwriteASeq() {
        append(StoreOp.UNFENCED, 1, "m1");
        append(StoreOp.UNFENCED, 1, "m2");
        var page = (StoreResult.Range) store.apply(new StoreOp.ReadRange("c1", 0, 10));
        assertThat(page.messages()).extracting(StoredMessage::cmid).containsExactly("m2");
    }

    @Test
    void shouldAssignTheNextSeqWhenAskedToCount() {
        long epoch = ((StoreResult.Claimed) store.apply(new StoreOp.Claim("c1", "n1"))).epoch();
        append(epoch, 0, "m1");
        var second = (StoreResult.Appended) append(epoch, 0, "m2");
        assertThat(second.outcomes()).containsExactly(new StoreResult.Outcome(2, false));
    }

    @Test
    void shouldPageARangeAndSayWhetherMoreFollows() {
        long epoch = ((StoreResult.Claimed) store.apply(new StoreOp.Claim("c1", "n1"))).epoch();
        for (int i = 1; i <= 5; i++) {
            append(epoch, i, "m" + i);
        }
        var page = (StoreResult.Range) store.apply(new StoreOp.ReadRange("c1", 1, 3));
        assertThat(page.messages()).extracting(StoredMessage::seq).containsExactly(2L, 3L, 4L);
        assertThat(page.more()).isTrue();
        assertThat(page.upToSeq()).isEqualTo(4);
        var last = (StoreResult.Range) store.apply(new StoreOp.ReadRange("c1", 4, 3));
        assertThat(last.more()).isFalse();
        assertThat(last.upToSeq()).isEqualTo(5);
    }
}
