package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FrontierTest {

    private static final Map<String, List<String>> MEMBERS = Map.of("c1", List.of("alice", "bob"), "c2", List.of("bob", "carol"));

    @Test
    void shouldOweEveryMembersDevicesTheNewestSeqOfTheirChats() {
        FrontierTracker tracker = new FrontierTracker();
        tracker.accept(new HistoryEvent.Ack(1, "alice", "phone", "c1", "m1", 1));
        tracker.accept(new HistoryEvent.Ack(2, "alice", "phone", "c1", "m3", 7));
        tracker.accept(deliver("bob", "phone", "c1", 1));
        tracker.accept(deliver("bob", "laptop", "c1", 7));

        Frontier.Owed owed = tracker.snapshot(0).owed(MEMBERS, List.of("phone", "laptop"));

        // alice/laptop and bob/phone lack seq 7; alice/phone sent it; c2 has no messages yet.
        assertThat(owed.deliveries()).isEqualTo(2);
        assertThat(owed.devices()).isEqualTo(2);
        assertThat(owed.messages()).isEqualTo(1);
        assertThat(owed.settled()).isFalse();
    }

    @Test
    void shouldNotCountADevicesOwnOlderMessageAsTheHead() {
        FrontierTracker tracker = new FrontierTracker();
        tracker.accept(new HistoryEvent.Ack(1, "bob", "phone", "c1", "b1", 5));
        tracker.accept(deliver("alice", "phone", "c1", 5));
        tracker.accept(new HistoryEvent.Ack(2, "alice", "phone", "c1", "a1", 9));

        assertThat(tracker.snapshot(0).owed(MEMBERS, List.of("phone")).devices()).as("bob lacks 9").isEqualTo(1);
        tracker.accept(deliver("bob", "phone", "c1", 9));
        assertThat(tracker.snapshot(0).owed(MEMBERS, List.of("phone")).settled()).isTrue();
        assertThat(tracker.snapshot(0).own()).as("its own newest message, kept apart from deliveries")
                .containsEntry("bob/phone", Map.of("c1", 5L));
    }

    @Test
    void shouldSettleOnlyWhenEveryDeviceHasTheHeadAndNoSendIsUnanswered() {
        FrontierTracker tracker = new FrontierTracker();
        tracker.accept(new HistoryEvent.Ack(1, "bob", "phone", "c2", "m1", 7));
        tracker.accept(deliver("carol", "phone", "c2", 7));

        assertThat(tracker.snapshot(0).owed(MEMBERS, List.of("phone")).settled()).isTrue();
        assertThat(tracker.snapshot(1).owed(MEMBERS, List.of("phone")).settled())
                .as("a send still unanswered may yet commit").isFalse();
    }

    @Test
    void shouldJoinTheFrontiersOfSeveralProcessesByTheNewestSeqAndSurviveJson() {
        FrontierTracker first = new FrontierTracker();
        first.accept(new HistoryEvent.Ack(1, "alice", "phone", "c1", "m1", 4));
        FrontierTracker second = new FrontierTracker();
        second.accept(deliver("bob", "phone", "c1", 2));

        Frontier all = Frontier.merge(List.of(Frontier.fromJson(first.snapshot(1).toJson()),
                Frontier.fromJson(second.snapshot(2).toJson())));

        assertThat(all.heads()).containsExactly(Map.entry("c1", 4L));
        assertThat(all.pendingSends()).isEqualTo(3);
        assertThat(all.own()).containsEntry("alice/phone", Map.of("c1", 4L));
        // bob's process only saw seq 2, but alice's saw 4: bob is behind, alice (who sent 4) is not.
        Frontier.Owed owed = all.owed(MEMBERS, List.of("phone"));
        assertThat(owed.deliveries()).isEqualTo(1);
        assertThat(owed.devices()).isEqualTo(1);
    }

    private static HistoryEvent.Deliver deliver(String user, String device, String chat, long seq) {
        return new HistoryEvent.Deliver(seq, user, device, chat, seq, "m" + seq, "alice", HistoryEvent.Via.PUSH);
    }
}
