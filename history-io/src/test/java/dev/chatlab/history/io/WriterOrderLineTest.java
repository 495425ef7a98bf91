package dev.chatlab.history.io;

import dev.chatlab.core.history.HistoryEvent.*;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines in {@link HistoryWriter}'s shape take a shortcut ({@link WriterOrderLine}); every line must
 * give the same views (byte for byte, at the same places of the buffer), the same lines and the
 * same errors with and without it, and the same events and errors as the text parser.
 */
class WriterOrderLineTest {

    /** Every type in the writer's shape, optional fields with and without, numbers and ids of every length class. */
    private static final List<HistoryEvent> WRITTEN = writtenEvents();

    private static List<HistoryEvent> writtenEvents() {
        List<HistoryEvent> events = new ArrayList<>(HistoryIoTest.EVERY_TYPE);
        events.add(new Deliver(12, "bob", "laptop", "c1", 2, "m-2", "alice", Via.SYNC));
        events.add(new Deliver(12, "bob", "laptop", "c1", 3, "m-3", "alice", Via.PULL));
        events.add(new Receipt(13, "alice", "phone", "c1", "bob", ReceiptState.DELIVERED, 1));
        events.add(new Member(14, "group-with-a-long-name-0123456789", "user-with-a-long-name-0123456789", MemberOp.ADD));
        events.add(new Send(999_999_999_999_999_999L, "u", "d", "c", "m"));
        events.add(new Ack(999_999_999_999_999_999L, "u", "d", "c", "m", 999_999_999_999_999_999L));
        events.add(new Presence(999_999_999_999_999_999L, "u", "d", "v", PresenceState.ONLINE, 0L));
        return events;
    }

    @Test
    void shouldTakeEveryLineTheWriterWrites() throws IOException {
        for (HistoryEvent event : WRITTEN) {
            byte[] line = padded(written(List.of(event)));
            EventView view = new EventView();
            assertThat(new WriterOrderLine().parse(line, 0, WriterOrderLine.END_UNKNOWN, view)).as(event.toString()).isTrue();
            assertThat(view.toEvent()).isEqualTo(event);
        }
    }

    @Test
    void shouldLeaveOtherShapesToTheGeneralParser() {
        List<String> others = List.of(
                "{\"t\":1, \"type\":\"quiesce\"}",
                "{\"type\":\"quiesce\",\"t\":1}",
                "{\"t\":01,\"type\":\"quiesce\"}",
                "{\"t\":1,\"type\":\"quiesce\",\"x\":1}",
                "{\"t\":1,\"type\":\"send\",\"user\":\"u\",\"device\":\"d\",\"cmid\":\"m\",\"chat\":\"c\"}",
                "{\"t\":1,\"type\":\"send\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"cmid\":\"m\\u0031\"}",
                "{\"t\":1,\"type\":\"send\",\"user\":\"\",\"device\":\"d\",\"chat\":\"c\",\"cmid\":\"m\"}",
                "{\"t\":1,\"type\":\"ack\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":0}",
                "{\"t\":1,\"type\":\"deliver\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"v\",\"via\":\"pushy\"}",
                "{\"t\":1,\"type\":\"hologram\"}",
                "{\"t\":1,\"type\":\"quiesce\"} ");
        for (String other : others) {
            byte[] line = padded(other + "\n");
            assertThat(new WriterOrderLine().parse(line, 0, WriterOrderLine.END_UNKNOWN, new EventView())).as(other).isFalse();
        }
    }

    @Test
    void shouldReadEveryVariantOfAWrittenLineAsTheGeneralParserDoes() throws IOException {
        // Each written line, cut, widened or changed at every byte: most variants start like the
        // writer's shape and leave it mid-way, some stay valid, many are errors.
        String[] replacements = {"", " ", "x", "\\", "\"", "0", "9", ",", "}", ":", ".", "e", "\u00e9", "\t", "\r", "\n", "\\\"", "12"};
        int variants = 0;
        for (HistoryEvent event : WRITTEN) {
            String line = written(List.of(event)).stripTrailing();
            for (int at = 0; at <= line.length(); at++) {
                for (String replacement : replacements) {
                    List<String> changed = List.of(
                            line.substring(0, at) + replacement + line.substring(Math.min(at + 1, line.length())),
                            line.substring(0, at) + replacement + line.substring(at));
                    for (String variant : changed) {
                        String text = "{\"t\":0,\"type\":\"quiesce\"}\n" + variant + "\n" + line + "\n";
                        assertSameWayEachWay(text, variant);
                        variants++;
                    }
                }
            }
        }
        assertThat(variants).isGreaterThan(50_000);
    }

    @Test
    void shouldReadTheSameWithAnyLineEndingAndBufferRefill() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        List<String> lines = written(WRITTEN).lines().toList();
        StringBuilder history = new StringBuilder();
        long t = 0;
        for (int i = 0; i < 6_000; i++) {
            t += random.nextInt(3);
            history.append(lines.get(random.nextInt(lines.size())).replaceFirst("^\\{\"t\":[0-9]+,", "{\"t\":" + t + ",")).append('\n');
        }
        String plain = history.toString();
        StringBuilder mixed = new StringBuilder();
        for (String line : plain.split("\n")) {
            mixed.append(line).append(switch (random.nextInt(5)) {
                case 0 -> "\r\n";
                case 1 -> "\r";
                case 2 -> "\n\n";
                default -> "\n";
            });
        }
        for (String text : List.of(plain, mixed.toString(), mixed.toString().stripTrailing())) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            // Whole reads (lines cut only at the 64 KiB buffer's end) and reads of 1 to 40 bytes.
            List<String> whole = drainViews(new HistoryReader(new ByteArrayInputStream(bytes), true), 16);
            assertThat(whole).isEqualTo(drainViews(new HistoryReader(new ByteArrayInputStream(bytes), false), 16));
            assertThat(whole).hasSize(6_000);
            for (int chunk : List.of(1, 7, 40)) {
                assertThat(drainEvents(new HistoryReader(trickle(bytes, chunk, random.nextLong()), true), 5))
                        .as("reads of at most %d bytes", chunk)
                        .isEqualTo(drainEvents(new HistoryReader(new StringReader(text)), 1));
            }
        }
    }

    /** Fast, general and text parses of {@code text} agree on every event, its line and the error. */
    private static void assertSameWayEachWay(String text, String variant) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int batch : new int[] {1, 3}) {
            assertThat(drainViews(new HistoryReader(new ByteArrayInputStream(bytes), true), batch)).as(variant)
                    .isEqualTo(drainViews(new HistoryReader(new ByteArrayInputStream(bytes), false), batch));
        }
        assertThat(drainEvents(new HistoryReader(new ByteArrayInputStream(bytes), true), 2)).as(variant)
                .isEqualTo(drainEvents(new HistoryReader(new StringReader(text)), 1));
    }

    /** Each view in full (where its ids lie included) with its line; then the error, if any. */
    private static List<String> drainViews(HistoryReader reader, int batchSize) throws IOException {
        return drain(reader, batchSize, WriterOrderLineTest::state);
    }

    /** Each event with its line; then the error, if any. */
    private static List<String> drainEvents(HistoryReader reader, int batchSize) throws IOException {
        return drain(reader, batchSize, EventView::toEvent);
    }

    private static List<String> drain(HistoryReader reader, int batchSize, Function<EventView, Object> render) throws IOException {
        List<String> out = new ArrayList<>();
        EventView[] batch = EventView.batch(batchSize);
        try (reader) {
            for (int count; (count = reader.nextViews(batch)) > 0; ) {
                for (int k = 0; k < count; k++) {
                    out.add((reader.line() - count + 1 + k) + ": " + render.apply(batch[k]));
                }
            }
        } catch (HistoryFormatException e) {
            out.add(e.line() + "! " + e.reason());
        }
        return out;
    }

    private static String state(EventView v) {
        StringBuilder out = new StringBuilder();
        out.append(v.type).append(' ').append(v.t).append(' ').append(v.seq).append(' ').append(v.op).append(' ')
                .append(v.via).append(' ').append(v.receiptState).append(' ').append(v.presenceState).append(' ')
                .append(v.lastSeen).append(' ').append(v.unknownType);
        for (int field = 0; field < EventView.ID_FIELDS; field++) {
            out.append(" [").append(v.starts[field]).append(',').append(v.lengths[field]);
            if (v.lengths[field] >= 0) {
                out.append(',').append(new String(v.bytes, v.starts[field], v.lengths[field], StandardCharsets.UTF_8));
            }
            out.append(']');
        }
        return out.toString();
    }

    private static String written(List<HistoryEvent> events) throws IOException {
        StringWriter text = new StringWriter();
        try (HistoryWriter out = new HistoryWriter(text)) {
            for (HistoryEvent event : events) {
                out.write(event);
            }
        }
        return text.toString();
    }

    /** The line's bytes with room after them, as a reader's buffer has (a zero after the data). */
    private static byte[] padded(String line) {
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(text, text.length + 64);
    }

    /** An input that hands out at most {@code most} bytes per read, a random number each time. */
    private static InputStream trickle(byte[] bytes, int most, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(most)));
            }
        };
    }
}
