package dev.chatlab.history.io;

import dev.chatlab.core.history.HistoryEvent.*;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryIoTest {

    static final List<HistoryEvent> EVERY_TYPE = List.of(
            new Member(0, "c1", "alice", MemberOp.ADD),
            new Connect(1, "alice", "phone", "n1"),
            new Send(2, "alice", "phone", "c1", "m-1"),
            new Ack(3, "alice", "phone", "c1", "m-1", 1),
            new Fail(3, "alice", "phone", "c1", "m-2"),
            new Deliver(4, "bob", "laptop", "c1", 1, "m-1", "alice", Via.PUSH),
            new Deliver(4, "bob", "phone", "c1", 1, "m-1", "alice", null),
            new Read(5, "bob", "laptop", "c1", 1),
            new Receipt(6, "alice", "phone", "c1", "bob", ReceiptState.READ, 1),
            new Presence(7, "alice", "phone", "bob", PresenceState.OFFLINE, 6L),
            new Presence(7, "alice", "phone", "carol", PresenceState.ONLINE, null),
            new Typing(8, "bob", "laptop", "c1", "alice"),
            new Disconnect(9, "alice", "phone", "node died"),
            new Disconnect(9, "bob", "phone", null),
            new Member(10, "c1", "bob", MemberOp.REMOVE),
            new Quiesce(11));

    @Test
    void shouldRoundTripEveryEventTypeThroughPlainAndGzipFiles(@TempDir Path dir) throws Exception {
        for (String name : List.of("h.jsonl", "h.jsonl.gz")) {
            Path file = dir.resolve(name);
            try (HistoryWriter out = HistoryWriter.open(file)) {
                for (HistoryEvent e : EVERY_TYPE) {
                    out.write(e);
                }
            }
            assertThat(readAll(file)).as(name).isEqualTo(EVERY_TYPE);
        }
        assertThat(Files.size(dir.resolve("h.jsonl.gz"))).isLessThan(Files.size(dir.resolve("h.jsonl")));
    }

    @Test
    void shouldReadFilesTooShortForTheGzipMagic(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.jsonl"), new byte[0]);
        Path blank = Files.write(dir.resolve("blank.jsonl"), new byte[] {'\n'});
        Path one = Files.writeString(dir.resolve("one.jsonl"), "{\"t\":1,\"type\":\"quiesce\"}");
        assertThat(readAll(empty)).isEmpty();
        assertThat(readAll(blank)).isEmpty();
        assertThat(readAll(one)).containsExactly(new Quiesce(1));
    }

    @Test
    void shouldWriteFieldsInAFixedOrder() throws IOException {
        StringWriter text = new StringWriter();
        try (HistoryWriter out = new HistoryWriter(text)) {
            out.write(new Deliver(4, "bob", "laptop", "c1", 1, "m-1", "alice", Via.SYNC));
        }
        assertThat(text.toString()).isEqualTo(
                "{\"t\":4,\"type\":\"deliver\",\"user\":\"bob\",\"device\":\"laptop\",\"chat\":\"c1\",\"seq\":1,"
                        + "\"cmid\":\"m-1\",\"from\":\"alice\",\"via\":\"sync\"}\n");
    }

    @Test
    void shouldSkipBlankLinesAndKeepUnknownTypesForTheirOrder() throws Exception {
        var events = parse("""
                {"t":1,"type":"quiesce"}

                {"t":2,"type":"future-thing","whatever":{"nested":[1,2]}}
                {"t":3,"type":"read","user":"u","device":"d","chat":"c","seq":5,"extra":true}
                """);
        assertThat(events).containsExactly(new Quiesce(1), new Unknown(2, "future-thing"), new Read(3, "u", "d", "c", 5));
    }

    @Test
    void shouldRejectTGoingBackwardsNamingTheLine() {
        assertError("{\"t\":5,\"type\":\"quiesce\"}\n{\"t\":4,\"type\":\"quiesce\"}\n", 2, "t goes backwards");
    }

    @Test
    void shouldNameTheLineAndFieldOfEveryInputError() {
        assertError("{\"t\":1,\"type\":\"ack\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"cmid\":\"m\"}", 1, "field 'seq' is missing");
        assertError("\n{\"t\":1,\"type\":\"ack\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":\"7\"}", 2, "field 'seq' is ill-typed");
        assertError("{\"t\":1,\"type\":\"read\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"seq\":0}", 1, "positive");
        assertError("{\"t\":1,\"type\":\"member\",\"chat\":\"c\",\"user\":\"u\",\"op\":\"join\"}", 1, "field 'op' is ill-typed: expected one of 'add', 'remove'");
        assertError("{\"t\":1,\"type\":\"connect\",\"user\":\"\",\"device\":\"d\",\"node\":\"n\"}", 1, "field 'user'");
        assertError("{\"t\":-1,\"type\":\"quiesce\"}", 1, "field 't'");
        assertError("{\"type\":\"quiesce\"}", 1, "field 't' is missing");
        assertError("{\"t\":1}", 1, "field 'type' is missing");
        assertError("{\"t\":1,\"type\":\"quiesce\"", 1, "malformed JSON");
        assertError("[1,2]", 1, "expected a JSON object");
        assertError("{\"t\":1,\"type\":\"quiesce\"} {\"t\":2}", 1, "one event per line");
        assertError("{\"t\":1,\"type\":\"deliver\",\"user\":\"u\",\"device\":\"d\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m\",\"from\":\"f\",\"via\":\"carrier-pigeon\"}", 1, "field 'via'");
    }

    private static void assertError(String text, long line, String reason) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(HistoryFormatException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((HistoryFormatException) e).line()).isEqualTo(line));
    }

    private static List<HistoryEvent> parse(String text) throws Exception {
        List<HistoryEvent> events = new ArrayList<>();
        try (HistoryReader in = new HistoryReader(new StringReader(text))) {
            for (HistoryEvent e; (e = in.next()) != null; ) {
                events.add(e);
            }
        }
        return events;
    }

    private static List<HistoryEvent> readAll(Path file) throws Exception {
        List<HistoryEvent> events = new ArrayList<>();
        try (HistoryReader in = HistoryReader.open(file)) {
            for (HistoryEvent e; (e = in.next()) != null; ) {
                events.add(e);
            }
        }
        return events;
    }
}
