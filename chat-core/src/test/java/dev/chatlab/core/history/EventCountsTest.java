package dev.chatlab.core.history;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventCountsTest {

    @Test
    void shouldCountEveryEventAndEachKindItKnows() {
        EventCounts counts = new EventCounts();
        List<HistoryEvent> events = List.of(
                new HistoryEvent.Member(0, "c", "a", HistoryEvent.MemberOp.ADD),
                new HistoryEvent.Connect(1, "a", "p", "n1"),
                new HistoryEvent.Send(2, "a", "p", "c", "m1"),
                new HistoryEvent.Ack(3, "a", "p", "c", "m1", 1),
                new HistoryEvent.Send(4, "a", "p", "c", "m2"),
                new HistoryEvent.Fail(5, "a", "p", "c", "m2"),
                new HistoryEvent.Typing(6, "a", "p", "c", "a"),
                new HistoryEvent.Disconnect(7, "a", "p", "closed"));
        events.forEach(counts::accept);

        assertThat(counts.events()).isEqualTo(8);
        assertThat(counts.connects()).isEqualTo(1);
        assertThat(counts.sends()).isEqualTo(2);
        assertThat(counts.acks()).isEqualTo(1);
        assertThat(counts.fails()).isEqualTo(1);
        assertThat(counts.typing()).isEqualTo(1);
        assertThat(counts.disconnects()).isEqualTo(1);
        assertThat(counts.delivers()).isZero();
        assertThat(counts.reads()).isZero();
    }
}
