package dev.chatlab.core.history;

import dev.chatlab.core.history.HistoryEvent.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventViewTest {

    @Test
    void shouldGiveBackTheRecordItWasSetFrom() {
        EventView view = new EventView();
        List<HistoryEvent> events = new ArrayList<>(HistoryIoTest.EVERY_TYPE);
        events.add(new Send(12, "\u00e9lodie", "t\u00e9l\u00e9phone", "caf\u00e9 \u2615", "m\"1"));
        events.add(new Unknown(13, "hologram"));
        events.add(new Send(14, "u".repeat(300), "p", "c", "m"));
        for (HistoryEvent event : events) {
            assertThat(view.set(event).toEvent()).isEqualTo(event);
        }
    }

    @Test
    void shouldHoldIdsAsUtf8BytesAndAbsentFieldsAsMinusOne() {
        EventView view = new EventView().set(new Deliver(4, "bob", "laptop", "caf\u00e9", 7, "m-1", "alice", null));
        assertThat(view.type()).isEqualTo(EventView.Type.DELIVER);
        assertThat(view.seq()).isEqualTo(7);
        assertThat(view.via()).isNull();
        String chat = new String(view.bytes(), view.start(EventView.CHAT), view.length(EventView.CHAT), StandardCharsets.UTF_8);
        assertThat(chat).isEqualTo("caf\u00e9");
        assertThat(view.length(EventView.CHAT)).isEqualTo(5);
        assertThat(view.start(EventView.BY)).isEqualTo(-1);
        assertThat(view.string(EventView.BY)).isNull();
    }

    @Test
    void shouldReadTheSameViewsFromAFileAsTheRecordsWritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.jsonl");
        try (HistoryWriter out = HistoryWriter.open(file)) {
            for (HistoryEvent event : HistoryIoTest.EVERY_TYPE) {
                out.write(event);
            }
        }
        List<HistoryEvent> read = new ArrayList<>();
        try (HistoryReader in = HistoryReader.open(file)) {
            for (EventView view; (view = in.nextView()) != null; ) {
                read.add(view.toEvent());
                assertThat(in.line()).isEqualTo(read.size());
            }
        }
        assertThat(read).isEqualTo(HistoryIoTest.EVERY_TYPE);
    }
}
