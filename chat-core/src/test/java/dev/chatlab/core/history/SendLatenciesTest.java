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
}
