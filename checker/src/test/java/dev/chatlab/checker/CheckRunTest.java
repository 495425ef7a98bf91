package dev.chatlab.checker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code chatlab check FILE [--json OUT] [--junit OUT]} prints, writes and returns. */
class CheckRunTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Path history, Path json, Path junit) {
        return CheckRun.run(history, json, junit, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path write(HistoryBuilder history) throws Exception {
        Path path = dir.resolve("history.jsonl");
        Files.writeString(path, Histories.jsonl(history.events()));
        return path;
    }

    private static HistoryBuilder valid() {
        return new HistoryBuilder().member("c", "alice").member("c", "bob")
                .sent("alice/phone", "c", "m1", 1).deliver("bob/phone", "c", 1, "m1", "alice");
    }

    @Test
    void shouldExitZeroAndPrintOneLinePerInvariantWhenEverythingHolds() throws Exception {
        int exit = run(write(valid()), null, null);
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("(5 events)", "  unique-seq          ok (judged 1 committed messages)\n",
                "  no-phantom          ok (judged 1 deliveries)\n",
                "  no-lost-ack         not applicable (the history has no quiesce)\n",
                "valid: 5 of 10 invariants held, 5 not applicable (sender-fifo, no-lost-ack, read-after-deliver,"
                        + " receipt-monotone, receipt-truthful)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldExitOneWithExamplesWhenAnInvariantIsViolated() throws Exception {
        int exit = run(write(valid().deliver("bob/phone", "c", 1, "m1", "alice")), null, null);
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("  per-device-order    VIOLATED 1 (judged 2 deliveries)\n",
                "      - bob/phone delivered seq 1 of chat c twice (lines 5 and 6)",
                "INVALID: violated per-device-order");
    }

    @Test
    void shouldExitTwoNamingTheFileLineAndFieldOnUnreadableInput() throws Exception {
        Path history = dir.resolve("broken.jsonl");
        Files.writeString(history, "{\"t\":0,\"type\":\"member\",\"chat\":\"c\",\"user\":\"alice\",\"op\":\"add\"}\n"
                + "{\"t\":1,\"type\":\"ack\",\"user\":\"alice\",\"device\":\"p\",\"chat\":\"c\",\"cmid\":\"m\",\"seq\":-3}\n");
        Path json = dir.resolve("out/verdict.json");
        int exit = run(history, json, null);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("broken.jsonl line 2: field 'seq' is ill-typed: expected a positive 64-bit integer");
        assertThat(Files.readString(json)).isEqualTo(
                "{\"valid\":false,\"error\":{\"line\":2,\"reason\":\"field 'seq' is ill-typed: expected a positive 64-bit integer\"}}\n");
    }

    @Test
    void shouldExitTwoWithAClearMessageWhenTheFileIsMissing() {
        int exit = run(dir.resolve("nope.jsonl"), null, null);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("nope.jsonl: no such file");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldWriteTheJsonVerdictInTheContractsShape() throws Exception {
        Path json = dir.resolve("verdict.json");
        run(write(valid().quiesce().connect("bob/phone").connect("alice/laptop")), json, null);
        JsonParser p = new JsonFactory().createParser(json.toFile());
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        List<String> top = new ArrayList<>();
        List<String> invariants = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            top.add(name);
            p.nextToken();
            if (name.equals("invariants")) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    invariants.add(p.currentName());
                    p.nextToken();
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        assertThat(top).containsExactly("valid", "events", "skipped_types", "invariants", "presence_staleness_us");
        assertThat(invariants).containsExactly("unique-seq", "no-phantom", "per-device-order", "no-hole", "sender-fifo",
                "no-lost-ack", "membership", "read-after-deliver", "receipt-monotone", "receipt-truthful");
        String text = Files.readString(json);
        assertThat(text).startsWith("{\"valid\":false,\"events\":8,\"skipped_types\":{},\"invariants\":{\"unique-seq\":"
                + "{\"status\":\"ok\",\"violations\":0,\"judged\":1,\"examples\":[]}");
        assertThat(text).contains("\"sender-fifo\":{\"status\":\"not-applicable\",\"violations\":0,\"judged\":0,\"reason\":");
        assertThat(text).contains("\"no-lost-ack\":{\"status\":\"violated\",\"violations\":1,\"judged\":2,\"examples\":[{\"message\":"
                + "{\"chat\":\"c\",\"seq\":1,\"from\":\"alice\",\"cmid\":\"m1\"},\"missing_on\":[\"alice/laptop\"],\"lines\":[4,6,8],");
    }

    @Test
    void shouldWriteJunitXmlWithOneTestCasePerInvariant() throws Exception {
        Path xml = dir.resolve("verdict.xml");
        run(write(valid().read("eve/phone", "c", 1)), null, xml);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("chatlab-checker");
        assertThat(suite.getAttribute("tests")).isEqualTo("10");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("4");
        NodeList properties = suite.getElementsByTagName("property");
        List<String> judged = new ArrayList<>();
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            judged.add(property.getAttribute("name") + "=" + property.getAttribute("value"));
        }
        assertThat(judged).contains("judged.no-phantom=1", "judged.read-after-deliver=1", "judged.no-lost-ack=0");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(10);
        NodeList failures = suite.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        Element failed = (Element) failures.item(0).getParentNode();
        assertThat(failed.getAttribute("name")).isEqualTo("read-after-deliver");
        assertThat(failures.item(0).getTextContent()).contains("eve/phone read chat c up to seq 1");
    }

    @Test
    void shouldRefuseAnEmptyHistoryAsAnInputError() throws Exception {
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        Path json = dir.resolve("verdict.json");
        assertThat(run(empty, json, null)).isEqualTo(2);
        assertThat(err.toString()).contains("the history has no event");
        assertThat(Files.readString(json)).startsWith("{\"valid\":false,\"error\":{\"line\":0,");
        Path blank = dir.resolve("blank.jsonl");
        Files.writeString(blank, "\n\n  \n");
        assertThat(run(blank, null, null)).isEqualTo(2);
    }

    @Test
    void shouldCountAndNameEventsOfUnknownTypes() throws Exception {
        String history = Histories.jsonl(valid().events()).replace("\"type\":\"deliver\"", "\"type\":\"delivered\"");
        Path path = dir.resolve("misspelled.jsonl");
        Files.writeString(path, history);
        Path json = dir.resolve("verdict.json");
        assertThat(run(path, json, null)).isZero();
        assertThat(out.toString()).contains("skipped, unknown event types: 'delivered' 1", "no-phantom          not applicable");
        assertThat(Files.readString(json)).contains("\"skipped_types\":{\"delivered\":1}");
    }

    @Test
    void shouldRefuseUnknownTypesAndFailOnInvariantsThatDoNotApplyWhenStrict() throws Exception {
        String history = Histories.jsonl(valid().events());
        Path misspelled = dir.resolve("misspelled.jsonl");
        Files.writeString(misspelled, history.replace("\"type\":\"deliver\"", "\"type\":\"delivered\""));
        int exit = CheckRun.run(misspelled, true, null, null, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("misspelled.jsonl line 5: unknown type 'delivered'");

        Path correct = dir.resolve("correct.jsonl");
        Files.writeString(correct, history);
        assertThat(run(correct, null, null)).isZero();
        exit = CheckRun.run(correct, true, null, null, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED under --strict: sender-fifo, no-lost-ack");
    }

    @Test
    void shouldWriteJunitXmlWithOneErrorForUnreadableInput() throws Exception {
        Path history = dir.resolve("bad.jsonl");
        Files.writeString(history, "{\"t\":0,\"type\":\"send\",\"user\":\"a<b\"}\n");
        Path xml = dir.resolve("verdict.xml");
        assertThat(run(history, null, xml)).isEqualTo(2);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList errors = doc.getElementsByTagName("error");
        assertThat(errors.getLength()).isEqualTo(1);
        assertThat(((Element) errors.item(0)).getAttribute("message")).isEqualTo("line 1: field 'device' is missing: expected a non-empty string");
    }
}
