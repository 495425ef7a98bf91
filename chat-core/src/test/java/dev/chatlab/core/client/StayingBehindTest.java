package dev.chatlab.core.client;

import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import dev.chatlab.core.protocol.Frame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device that stays connected must not stay behind: a sync that is never answered is asked
 * again, and evidence that the chat has gone further than the device's cursor (another member's
 * receipt, the seq of its own acknowledged message) makes it sync once the hole wait is over.
 * Each case is one found in the seed sweep of chaos-swarm.yaml (seeds 12 and 5, issue 20).
 */
class StayingBehindTest {

    private static final ClientConfig CONFIG = ClientConfig.defaults();

    private final ClientDevice phone = new ClientDevice("bob", "phone", CONFIG, new SplittableRandom(1));
    /** Timers the device set and has not seen fire yet, by name, with their time. */
    private final List<ClientEffect.SetTimer> timers = new ArrayList<>();
    private final List<Frame> sent = new ArrayList<>();

    private void run(List<ClientEffect> effects) {
        for (ClientEffect e : effects) {
            if (e instanceof ClientEffect.SetTimer t) {
                timers.add(t);
            } else if (e instanceof ClientEffect.SendFrame f) {
                sent.add(f.frame());
            }
        }
    }

    /** Fires every timer due by {@code until}, in time order, as a host would. */
    private void runTimersUntil(long until) {
        while (true) {
            ClientEffect.SetTimer next = null;
            for (ClientEffect.SetTimer t : timers) {
                if (t.atMicros() <= until && (next == null || t.atMicros() < next.atMicros())) {
                    next = t;
                }
            }
            if (next == null) {
                return;
            }
            timers.remove(next);
            run(phone.onTimer(next.timer(), next.atMicros()));
        }
    }

    private void online(long head) {
        run(phone.onUserAction(new UserAction.GoOnline(), 0));
        run(phone.onConnected(1_000));
        run(phone.onFrame(new Frame.Welcome("n1", "n1/1", List.of(new Frame.ChatHead("c1", head))), 2_000));
    }

    private void upToDateAt(long seq) {
        online(seq);
        for (long s = 1; s <= seq; s++) {
            run(phone.onFrame(new Frame.Deliver("c1", s, "alice-" + s, "alice", "hi", Via.SYNC), 3_000));
        }
        run(phone.onFrame(new Frame.SyncDone("c1", seq, false), 3_000));
        sent.clear();
    }

    private List<Frame.Sync> syncs() {
        return sent.stream().filter(f -> f instanceof Frame.Sync).map(f -> (Frame.Sync) f).toList();
    }

    @Test
    void shouldAskAgainForASyncThatWasNeverAnswered() {
        // Seed 12: the sync went to an owner that had just died, before membership noticed.
        online(3);
        assertThat(syncs()).containsExactly(new Frame.Sync("c1", 0, CONFIG.syncPageMax()));
        sent.clear();

        runTimersUntil(2_000 + CONFIG.ackTimeoutMicros() / 2);

        assertThat(syncs()).containsExactly(new Frame.Sync("c1", 0, CONFIG.syncPageMax()));
    }

    @Test
    void shouldAskAgainAtOnceWhenANotifyComesWhileAnOldSyncIsUnanswered() {
        // Seed 22: the answer to the sync was lost on a one-way cut; the owner's catch-up notify came next.
        online(3);
        sent.clear();
        run(phone.onFrame(new Frame.Notify("c1", 4), 2_000 + CONFIG.holeWaitMicros()));

        assertThat(syncs()).containsExactly(new Frame.Sync("c1", 0, CONFIG.syncPageMax()));
    }

    @Test
    void shouldTakeTheStoredCopyOfItsOwnUnackedMessageForItsAck() {
        upToDateAt(1);
        run(phone.onUserAction(new UserAction.SendMessage("c1", "bob-1", "hi"), 10_000));
        run(phone.onFrame(new Frame.Deliver("c1", 2, "bob-1", "bob", "hi", Via.SYNC), 20_000));

        assertThat(phone.outboxSize()).isZero();
        assertThat(phone.cursor("c1")).isEqualTo(2);
    }

    @Test
    void shouldSyncWhenAReceiptShowsTheChatIsAheadOfItsCursor() {
        // Seed 5: the push of seq 2 was lost on a cut link; alice's receipt for it got through later.
        upToDateAt(1);
        run(phone.onFrame(new Frame.Receipt("c1", "alice", ReceiptState.DELIVERED, 2), 10_000));
        assertThat(syncs()).isEmpty();

        runTimersUntil(10_000 + CONFIG.holeWaitMicros());

        assertThat(syncs()).containsExactly(new Frame.Sync("c1", 1, CONFIG.syncPageMax()));
    }

    @Test
    void shouldNotSyncOnAReceiptItIsAlreadyPast() {
        upToDateAt(2);
        run(phone.onFrame(new Frame.Receipt("c1", "alice", ReceiptState.DELIVERED, 2), 10_000));

        runTimersUntil(10_000 + CONFIG.holeWaitMicros());

        assertThat(syncs()).isEmpty();
    }

    @Test
    void shouldSyncWhenItsOwnMessageIsAckedBeyondAHoleAndNotReportItDelivered() {
        // Seed 12: bob's own message got seq 6 while seqs 2 to 5 never reached this device.
        upToDateAt(1);
        run(phone.onUserAction(new UserAction.SendMessage("c1", "bob-1", "hi"), 10_000));
        run(phone.onFrame(new Frame.Ack("c1", "bob-1", 6), 20_000));

        runTimersUntil(20_000 + CONFIG.holeWaitMicros());

        assertThat(syncs()).containsExactly(new Frame.Sync("c1", 1, CONFIG.syncPageMax()));
        // "Delivered up to 6" would tell the owner this device is up to date: the watermark is cumulative.
        assertThat(sent).noneMatch(f -> f instanceof Frame.Delivered d && d.seq() > 1);
    }
}
