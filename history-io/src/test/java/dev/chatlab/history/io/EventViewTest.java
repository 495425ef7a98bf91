package dev.chatlab.history.io;

import dev.chatlab.core.history.HistoryEvent.*;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;
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

    @Test
    void shouldReadTheSameEventsOnTheSameLinesInBatchesAsOneByOne(@TempDir Path dir) throws Exception {
        // Blank lines, CRLF and CR endings, an escape, non-ASCII and an unknown type all end a batch
        // early or go the slow way; a batch of 3 over 2,000 lines crosses the 64 KiB buffer's refills.
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            text.append("{\"t\":").append(i).append(",\"type\":\"deliver\",\"user\":\"u").append(i % 7)
                    .append("\",\"device\":\"d\",\"chat\":\"c\",\"seq\":").append(i + 1)
                    .append(",\"cmid\":\"m").append(i).append("\",\"from\":\"v\"}");
            text.append(i % 97 == 0 ? "\r\n" : i % 89 == 0 ? "\r" : "\n");
            if (i % 53 == 0) {
                text.append("   \n\n");
            }
            if (i % 61 == 0) {
                text.append("{\"t\":").append(i).append(",\"type\":\"send\",\"user\":\"\u00e9\\\"\",\"device\":\"d\",")
                        .append("\"chat\":\"caf\u00e9\",\"cmid\":\"x").append(i).append("\"}\n");
                text.append("{\"t\":").append(i).append(",\"type\":\"hologram\"}\n");
            }
        }
        Path file = dir.resolve("mixed.jsonl");
        java.nio.file.Files.writeString(file, text, StandardCharsets.UTF_8);

        List<HistoryEvent> single = new ArrayList<>();
        List<Long> singleLines = new ArrayList<>();
        try (HistoryReader in = HistoryReader.open(file)) {
            for (EventView view; (view = in.nextView()) != null; ) {
                single.add(view.toEvent());
                singleLines.add(in.line());
            }
        }
        List<HistoryEvent> batched = new ArrayList<>();
        List<Long> batchedLines = new ArrayList<>();
        int batches = 0;
        try (HistoryReader in = HistoryReader.open(file)) {
            EventView[] batch = EventView.batch(3);
            for (int count; (count = in.nextViews(batch)) > 0; ) {
                batches++;
                for (int k = 0; k < count; k++) {
                    batched.add(batch[k].toEvent());
                    batchedLines.add(in.line() - (count - 1 - k));
                }
            }
        }
        assertThat(single).hasSize(2_000 + 2 * 33);
        assertThat(batched).isEqualTo(single);
        assertThat(batchedLines).isEqualTo(singleLines);
        assertThat(batches).as("most batches are full").isLessThan(single.size() / 2);
    }

    @Test
    void shouldReportTGoingBackwardsInsideABatchAtItsOwnLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("backwards.jsonl");
        java.nio.file.Files.writeString(file, "{\"t\":5,\"type\":\"quiesce\"}\n{\"t\":6,\"type\":\"quiesce\"}\n"
                + "{\"t\":4,\"type\":\"quiesce\"}\n", StandardCharsets.UTF_8);
        try (HistoryReader in = HistoryReader.open(file)) {
            EventView[] batch = EventView.batch(8);
            assertThat(in.nextViews(batch)).isEqualTo(2);
            assertThat(in.line()).isEqualTo(2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.nextViews(batch))
                    .isInstanceOf(HistoryFormatException.class)
                    .satisfies(e -> assertThat(((HistoryFormatException) e).line()).isEqualTo(3))
                    .hasMessageContaining("t goes backwards");
        }
    }

    @Test
    void shouldReadBatchesOfOneFromText() throws Exception {
        try (HistoryReader in = new HistoryReader(new java.io.StringReader(
                "{\"t\":1,\"type\":\"quiesce\"}\n\n{\"t\":2,\"type\":\"quiesce\"}\n"))) {
            EventView[] batch = EventView.batch(4);
            assertThat(in.nextViews(batch)).isEqualTo(1);
            assertThat(batch[0].toEvent()).isEqualTo(new Quiesce(1));
            assertThat(in.nextViews(batch)).isEqualTo(1);
            assertThat(batch[0].toEvent()).isEqualTo(new Quiesce(2));
            assertThat(in.line()).isEqualTo(3);
            assertThat(in.nextViews(batch)).isZero();
        }
    }
}
