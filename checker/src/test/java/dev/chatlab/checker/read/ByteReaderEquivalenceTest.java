package dev.chatlab.checker.read;

import dev.chatlab.checker.bench.SyntheticHistory;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.history.io.HistoryFormatException;
import dev.chatlab.history.io.HistoryReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A history file is parsed from its bytes (a fast path for the common shape of a line), text is
 * parsed with Jackson: both must give the same events, lines and errors for every line.
 */
class ByteReaderEquivalenceTest {

    @TempDir
    Path dir;

    private static final List<String> LINES = List.of(
            "{\"t\":1,\"type\":\"member\",\"chat\":\"c\",\"user\":\"alice\",\"op\":\"add\"}",
            "{\"t\":1,\"type\":\"member\",\"chat\":\"c\",\"user\":\"alice\",\"op\":\"join\"}",
            "{\"t\":1,\"type\":\"member\",\"chat\":\"c\",\"user\":\"alice\",\"op\":7}",
            "  { \"t\" : 2 , \"type\" : \"quiesce\" }  ",
            "{\"t\":2,\"type\":\"quiesce\"}\t",
            "{}",
            "{\"t\":3}",
            "{\"type\":\"quiesce\"}",
            "{\"t\":-3,\"type\":\"quiesce\"}",
            "{\"t\":03,\"type\":\"quiesce\"}",
            "{\"t\":3.0,\"type\":\"quiesce\"}",
            "{\"t\":3e2,\"type\":\"quiesce\"}",
            "{\"t\":99999999999999999999,\"type\":\"quiesce\"}",
            "{\"t\":999999999999999999,\"type\":\"quiesce\"}",
            "{\"t\":1000000000000000000,\"type\":\"quiesce\"}",
            "{\"t\":4,\"type\":\"quiesce\"} {\"t\":5}",
            "{\"t\":4,\"type\":\"quiesce\"",
            "[1,2]",
            "not json",
            "{\"t\":5,\"type\":\"hologram\",\"x\":{\"a\":[1,2]},\"y\":true,\"z\":null}",
            "{\"t\":5,\"type\":\"holo\\u0067ram\"}",
            "{\"t\":6,\"type\":\"send\",\"user\":\"\u00e9lodie\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\\\"1\"}",
            "{\"t\":6,\"type\":\"send\",\"user\":\"u\",\"device\":\"\",\"chat\":\"c\",\"cmid\":\"m\"}",
            "{\"t\":7,\"type\":\"ack\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":0}",
            "{\"t\":7,\"type\":\"ack\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":\"7\"}",
            "{\"t\":7,\"type\":\"ack\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":7,\"seq\":\"7\"}",
            "{\"t\":7,\"type\":\"ack\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":\"7\",\"seq\":7}",
            "{\"t\":7,\"type\":\"ack\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":7,\"extra\":[1]}",
            "{\"t\":8,\"type\":\"fail\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\"}",
            "{\"t\":8,\"type\":\"deliver\",\"user\":\"b\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"u\",\"via\":\"push\"}",
            "{\"t\":8,\"type\":\"deliver\",\"user\":\"b\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"u\",\"via\":\"pigeon\"}",
            "{\"t\":8,\"type\":\"deliver\",\"user\":\"b\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"u\",\"via\":1}",
            "{\"t\":8,\"type\":\"deliver\",\"user\":\"b\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"u\"}",
            "{\"t\":9,\"type\":\"read\",\"user\":\"b\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1}",
            "{\"t\":9,\"type\":\"receipt\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"by\":\"b\",\"state\":\"read\",\"seq\":1}",
            "{\"t\":9,\"type\":\"receipt\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"by\":\"b\",\"state\":\"online\",\"seq\":1}",
            "{\"t\":9,\"type\":\"presence\",\"user\":\"u\",\"device\":\"p\",\"about\":\"b\",\"state\":\"online\"}",
            "{\"t\":9,\"type\":\"presence\",\"user\":\"u\",\"device\":\"p\",\"about\":\"b\",\"state\":\"offline\",\"last_seen\":4}",
            "{\"t\":9,\"type\":\"presence\",\"user\":\"u\",\"device\":\"p\",\"about\":\"b\",\"state\":\"offline\",\"last_seen\":\"4\"}",
            "{\"t\":9,\"type\":\"typing\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"from\":\"b\"}",
            "{\"t\":9,\"type\":\"connect\",\"user\":\"u\",\"device\":\"p\",\"node\":\"n1\"}",
            "{\"t\":9,\"type\":\"disconnect\",\"user\":\"u\",\"device\":\"p\"}",
            "{\"t\":9,\"type\":\"disconnect\",\"user\":\"u\",\"device\":\"p\",\"reason\":\"bye\"}",
            "{\"t\":9,\"type\":\"disconnect\",\"user\":\"u\",\"device\":\"p\",\"reason\":5}",
            "{\"t\":9,\"type\":5}",
            // Strings and names scanned eight bytes at a time: a stop byte at each place in a word.
            "{\"t\":9,\"type\":\"connect\",\"user\":\"u\tx\",\"device\":\"p\",\"node\":\"n1\"}",
            "{\"t\":9,\"type\":\"connect\",\"user\":\"abcdefgh\\\"\",\"device\":\"p\",\"node\":\"n1\"}",
            "{\"t\":9,\"type\":\"connect\",\"user\":\"abcdefghijklmnopqrstuvwxyz0123456789\",\"device\":\"p\u007f\",\"node\":\"n1\"}",
            "{\"t\":9,\"type\":\"connect\",\"user\":\"abcdefghijklmn\u00e9\",\"device\":\"p\",\"node\":\"n1\"}",
            "{\"t\":9,\"type\":\"connect\",\"users\":\"u\",\"user\":\"v\",\"devic\":\"p\",\"device\":\"p\",\"node\":\"n1\"}",
            "{\"t\":9,\"typ\":\"connect\",\"type\":\"connect\",\"user\":\"u\",\"device\":\"p\",\"node\":\"n1\",\"nodes\":1}",
            "{\"t\":9,\"type\":\"connect\",\"user\":\"u\",\"device\":\"p\",\"node\":\"n1",
            "{\"t\":1,\"type\":\"quiesce\"}");

    @Test
    void shouldReadEachLineFromBytesAsFromText() throws IOException {
        for (String line : LINES) {
            for (String ending : List.of("", "\n", "\r\n", "\r")) {
                String text = "{\"t\":0,\"type\":\"quiesce\"}\n\n \t\n" + line + ending;
                assertThat(readFile(text)).as(line + " ending " + ending.replace("\r", "CR").replace("\n", "LF"))
                        .isEqualTo(readText(text));
            }
        }
    }

    @Test
    void shouldReadWholeHistoriesFromBytesAsFromText() throws IOException {
        Path file = dir.resolve("h.jsonl");
        SyntheticHistory.write(file, 20_000, 7);
        String text = Files.readString(file);
        String mixed = text.replace("}\n{\"t\":1", "}\r\n{\"t\":1").replace("}\n{\"t\":2", "}\r{\"t\":2");
        for (String variant : List.of(text, mixed, LINES.get(20) + "\n" + text)) {
            assertThat(readFile(variant)).isEqualTo(readText(variant));
        }
    }

    @Test
    void shouldReadLinesLongerThanTheBuffer() throws IOException {
        String cmid = "m".repeat(200_000);
        String text = "{\"t\":1,\"type\":\"send\",\"user\":\"u\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"" + cmid + "\"}\r"
                + "\n{\"t\":2,\"type\":\"quiesce\"}";
        List<String> events = readFile(text);
        assertThat(events).hasSize(2).isEqualTo(readText(text));
        assertThat(events.get(1)).isEqualTo("2: Quiesce[t=2]");
    }

    /** The events read, each as "line: event", then the error as "line! reason" if any. */
    private List<String> readFile(String text) throws IOException {
        Path file = dir.resolve("case.jsonl");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return drain(HistoryReader.open(file));
    }

    private static List<String> readText(String text) throws IOException {
        return drain(new HistoryReader(new StringReader(text)));
    }

    private static List<String> drain(HistoryReader reader) throws IOException {
        List<String> out = new ArrayList<>();
        try (reader) {
            for (HistoryEvent e; (e = reader.next()) != null; ) {
                out.add(reader.line() + ": " + e);
            }
        } catch (HistoryFormatException e) {
            out.add(e.line() + "! " + e.reason());
        }
        return out;
    }
}
