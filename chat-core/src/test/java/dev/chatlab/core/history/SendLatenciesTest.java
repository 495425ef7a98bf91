package dev.chatlab.core.history;

import dev.chatlab.core.history.HistoryEvent.*;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SendLatenciesTest {

    @Test
    void shouldMeasureAckAndDeliveriesFromTheFirstSendOfARetriedMessage() {
        List<String> measured = new ArrayList<>();
        var latencies = new SendLatencies((kind, at, micros) -> measured.add(kind + "@" + at + "=" + micros));
        for (HistoryEvent e : List.of(
                new Send(10, "alice", "phone", "c1", "m1"),
                new Send(50, "alice", "phone", "c1", "m1"),
                new Ack(70, "alice", "phone", "c1", "m1", 1),
                new Deliver(90, "bob", "phone", "c1", 1, "m1", "alice", Via.PUSH),
                new Deliver(95, "bob", "phone", "c1", 2, "unknown", "alice", Via.PUSH))) {
            latencies.accept(e);
        }
        assertThat(measured).containsExactly("SEND_TO_ACK@70=60", "SEND_TO_DELIVER@90=80");
        assertThat(latencies.messages()).isEqualTo(1);
    }

    @Test
    void shouldCountAsIndeterminateTheMessagesWithNeitherAckNorFail() {
        var latencies = new SendLatencies((kind, at, micros) -> { });
        for (HistoryEvent e : List.of(
                new Send(10, "alice", "phone", "c1", "acked"),
                new Send(11, "alice", "phone", "c1", "failed"),
                new Send(12, "alice", "phone", "c1", "unknown"),
                new Send(13, "alice", "phone", "c1", "unknown"),
                new Ack(20, "alice", "phone", "c1", "acked", 1),
                new Fail(21, "alice", "phone", "c1", "failed"),
                new Fail(22, "bob", "phone", "c1", "never-sent"))) {
            latencies.accept(e);
        }
        assertThat(latencies.messages()).isEqualTo(3);
        assertThat(latencies.indeterminate()).isEqualTo(1);
    }
}
