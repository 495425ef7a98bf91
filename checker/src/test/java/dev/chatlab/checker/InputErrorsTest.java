package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.history.io.HistoryFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unreadable input is reported with its line and reason; unknown types and fields are ignored. */
class InputErrorsTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            {"t":0,"type":"member","chat":"c","user":"alice","op":"add"}
            {"t":1,"type":"member","chat":"c","user":"bob","op":"add"}
            {"t":2,"type":"send","user":"alice","device":"phone","chat":"c","cmid":"m1"}
            {"t":3,"type":"ack","user":"alice","device":"phone","chat":"c","cmid":"m1","seq":1}
            """;

    private Path file(String text) throws IOException {
        Path path = dir.resolve("history.jsonl");
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    private HistoryFormatException errorIn(String text) throws IOException {
        Path path = file(text);
        try {
            Checker.checkFile(path);
        } catch (HistoryFormatException e) {
            return e;
        }
        throw new AssertionError("expected an input error in:\n" + text);
    }

    @Test
    void shouldRejectTGoingBackwardsNamingTheLine() throws IOException {
        HistoryFormatException e = errorIn(GOOD + "{\"t\":2,\"type\":\"read\",\"user\":\"bob\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.reason()).contains("t goes backwards", "2 after 3");
    }

    @Test
    void shouldRejectAMissingFieldNamingIt() throws IOException {
        HistoryFormatException e = errorIn(GOOD + "{\"t\":4,\"type\":\"deliver\",\"user\":\"bob\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m1\",\"from\":\"alice\"}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.reason()).isEqualTo("field 'seq' is missing: expected a positive 64-bit integer");
    }

    @Test
    void shouldRejectAnIllTypedField() throws IOException {
        HistoryFormatException e = errorIn(GOOD.replace("\"seq\":1", "\"seq\":\"one\""));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.reason()).isEqualTo("field 'seq' is ill-typed: expected a positive 64-bit integer");
    }

    @Test
    void shouldRejectAnEnumeratedFieldOutsideItsList() throws IOException {
        HistoryFormatException e = errorIn(GOOD.replace("\"op\":\"add\"}\n{\"t\":1", "\"op\":\"join\"}\n{\"t\":1"));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.reason()).isEqualTo("field 'op' is ill-typed: expected one of 'add', 'remove'");
    }

    @Test
    void shouldRejectBadJson() throws IOException {
        HistoryFormatException e = errorIn(GOOD + "{\"t\":4,\"type\":\"quiesce\"\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.reason()).startsWith("malformed JSON");
    }

    @Test
    void shouldValidateTheWholeFileBeforeGivingAVerdict() throws IOException {
        // A violation early on and an input error at the very end: the verdict is the input error.
        String text = GOOD + "{\"t\":4,\"type\":\"deliver\",\"user\":\"eve\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m1\",\"from\":\"alice\"}\n"
                + "{\"t\":5,\"type\":\"quiesce\"}\n".repeat(50) + "not json\n";
        Verdict verdict = Checker.judgeFile(file(text));
        assertThat(verdict.error()).isEqualTo(new InputError(56, verdict.error().reason()));
        assertThat(verdict.invariants()).isEmpty();
        assertThat(verdict.exitCode()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreUnknownTypesAndFieldsButCountTheirT() throws Exception {
        String text = GOOD.replace("\"op\":\"add\"}", "\"op\":\"add\",\"colour\":\"blue\",\"nested\":{\"a\":[1,2]}}")
                + "{\"t\":4,\"type\":\"hologram\",\"whatever\":true}\n"
                + "\n"
                + "{\"t\":5,\"type\":\"deliver\",\"user\":\"bob\",\"device\":\"p\",\"chat\":\"c\",\"seq\":1,\"cmid\":\"m1\",\"from\":\"alice\",\"via\":\"push\",\"lag\":3}\n";
        Verdict verdict = Checker.checkFile(file(text));
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.events()).isEqualTo(6);

        HistoryFormatException e = errorIn(GOOD + "{\"t\":1,\"type\":\"hologram\"}\n");
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.reason()).contains("t goes backwards");
    }

    @Test
    void shouldReadGzippedHistories() throws Exception {
        Path path = dir.resolve("history.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
            out.write(GOOD.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Checker.checkFile(path).events()).isEqualTo(4);
    }

    @Test
    void shouldRejectInvalidEventsHandedToTheOnlineChecker() {
        HistoryChecker checker = new HistoryChecker();
        checker.accept(new HistoryEvent.Quiesce(10));
        checker.accept(new HistoryEvent.Read(11, "bob", "phone", "c", 0));
        checker.accept(new HistoryEvent.Quiesce(5));
        Verdict verdict = checker.finish();
        assertThat(verdict.error()).isEqualTo(new InputError(2, "field 'seq' is ill-typed: expected a positive 64-bit integer"));

        HistoryChecker backwards = new HistoryChecker();
        backwards.accept(new HistoryEvent.Quiesce(10));
        backwards.accept(new HistoryEvent.Send(9, "a", "p", "c", "m"));
        assertThat(backwards.finish().error().line()).isEqualTo(2);

        HistoryChecker missing = new HistoryChecker();
        missing.accept(new HistoryEvent.Send(9, "a", null, "c", "m"));
        assertThat(missing.finish().error().reason()).isEqualTo("field 'device' is missing: expected a non-empty string");
    }

    @Test
    void shouldThrowOnAMissingFileFromTheFileApi() {
        assertThatThrownBy(() -> Checker.checkFile(dir.resolve("absent.jsonl"))).isInstanceOf(IOException.class);
    }
}
