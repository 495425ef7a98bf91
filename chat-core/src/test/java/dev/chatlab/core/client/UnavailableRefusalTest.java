package dev.chatlab.core.client;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code fail} (code {@code unavailable}: the chat's home node is down; {@code not-a-member})
 * says that this attempt stored nothing: the device records a definite {@code fail} only when no
 * earlier attempt went out, else it gives the message up as indeterminate.
 */
class UnavailableRefusalTest {

    private final List<HistoryEvent> history = new ArrayList<>();
    private final ClientDevice phone = new ClientDevice("alice", "phone", ClientConfig.defaults(), new SplittableRandom(1));

    private List<ClientEffect> run(List<ClientEffect> effects) {
        for (ClientEffect e : effects) {
            if (e instanceof ClientEffect.Record r) {
                history.add(r.event());
            }
        }
        return effects;
    }

    private void online() {
        run(phone.onUserAction(new UserAction.GoOnline(), 0));
        run(phone.onConnected(1_000));
        run(phone.onFrame(new Frame.Welcome("n1", "n1/1", List.of(new Frame.ChatHead("c1", 0))), 2_000));
    }

    private long sendsOut(List<ClientEffect> effects, String cmid) {
        return effects.stream().filter(e -> e instanceof ClientEffect.SendFrame f
                && f.frame() instanceof Frame.Send s && s.cmid().equals(cmid)).count();
    }

    @Test
    void shouldRecordAFailWhenTheFirstAttemptIsRefusedUnavailable() {
        online();
        assertThat(sendsOut(run(phone.onUserAction(new UserAction.SendMessage("c1", "m1", "hi"), 10_000)), "m1")).isEqualTo(1);

        run(phone.onFrame(new Frame.Fail("c1", "m1", ErrorCode.UNAVAILABLE, "home down"), 12_000));

        assertThat(history).filteredOn(e -> e instanceof HistoryEvent.Fail).hasSize(1);
        assertThat(phone.outboxSize()).isZero();
        assertThat(phone.abandonedSends()).isZero();
    }

    @Test
    void shouldLeaveARetriedSendIndeterminateWhenARetryIsRefusedUnavailable() {
        online();
        run(phone.onUserAction(new UserAction.SendMessage("c1", "m1", "hi"), 10_000));
        // No ack within the timeout: the retry timer sends the same cmid again.
        long retriedAt = 10_000 + ClientConfig.defaults().ackTimeoutMicros();
        List<ClientEffect> retry = run(phone.onTimer("retry#0:", retriedAt));
        assertThat(sendsOut(retry, "m1")).isEqualTo(1);

        run(phone.onFrame(new Frame.Fail("c1", "m1", ErrorCode.UNAVAILABLE, "home down"), retriedAt + 2_000));

        assertThat(history).noneMatch(e -> e instanceof HistoryEvent.Fail);
        assertThat(phone.outboxSize()).isZero();
        assertThat(phone.abandonedSends()).isEqualTo(1);
    }

    @Test
    void shouldRecordTheAckOfAGivenUpSendThatShowsUpStoredAfterAll() {
        online();
        run(phone.onUserAction(new UserAction.SendMessage("c1", "m1", "hi"), 10_000));
        long retriedAt = 10_000 + ClientConfig.defaults().ackTimeoutMicros();
        run(phone.onTimer("retry#0:", retriedAt));
        run(phone.onFrame(new Frame.Fail("c1", "m1", ErrorCode.UNAVAILABLE, "home down"), retriedAt + 2_000));

        // The home comes back; a sync shows the first attempt was stored as seq 1.
        run(phone.onFrame(new Frame.Deliver("c1", 1, "m1", "alice", "hi", HistoryEvent.Via.SYNC), retriedAt + 9_000_000));

        assertThat(history).filteredOn(e -> e instanceof HistoryEvent.Ack).singleElement()
                .isEqualTo(new HistoryEvent.Ack(retriedAt + 9_000_000, "alice", "phone", "c1", "m1", 1));
        assertThat(history).noneMatch(e -> e instanceof HistoryEvent.Deliver);
        assertThat(phone.cursor("c1")).isEqualTo(1);
    }

    @Test
    void shouldLeaveARetriedSendIndeterminateWhateverTheRefusal() {
        // The first attempt may have been stored just before the user was removed from the chat.
        online();
        run(phone.onUserAction(new UserAction.SendMessage("c1", "m1", "hi"), 10_000));
        run(phone.onTimer("retry#0:", 10_000 + ClientConfig.defaults().ackTimeoutMicros()));

        run(phone.onFrame(new Frame.Fail("c1", "m1", ErrorCode.NOT_A_MEMBER, "not a member"), 3_000_000));

        assertThat(history).noneMatch(e -> e instanceof HistoryEvent.Fail);
        assertThat(phone.abandonedSends()).isEqualTo(1);
    }

    @Test
    void shouldRecordAFailWhenTheFirstAttemptIsRefusedForNotBeingAMember() {
        online();
        run(phone.onUserAction(new UserAction.SendMessage("c1", "m1", "hi"), 10_000));

        run(phone.onFrame(new Frame.Fail("c1", "m1", ErrorCode.NOT_A_MEMBER, "not a member"), 12_000));

        assertThat(history).filteredOn(e -> e instanceof HistoryEvent.Fail).hasSize(1);
    }
}
