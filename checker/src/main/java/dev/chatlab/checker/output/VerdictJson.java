package dev.chatlab.checker.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.chatlab.checker.Example;
import dev.chatlab.checker.InvariantResult;
import dev.chatlab.checker.MessageRef;
import dev.chatlab.checker.Staleness;
import dev.chatlab.checker.Verdict;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The verdict in the JSON shape of the history-format contract:
 * {@code {"valid": .., "events": N, "skipped_types": {type: N}, "invariants": {name: {status,
 * violations, judged, reason?, examples}}}} plus
 * {@code "presence_staleness_us"}, or {@code {"valid": false, "error": {"line": N, "reason": ".."}}}
 * for an unreadable input. Each example has {@code lines} and {@code detail}, and where they apply
 * {@code message} ({@code chat}, {@code seq}, {@code from}, {@code cmid}), {@code device} and
 * {@code missing_on}.
 *
 * <pre>{@code
 * try (Writer out = Files.newBufferedWriter(path)) { VerdictJson.write(verdict, out); }
 * }</pre>
 */
public final class VerdictJson {

    private static final JsonFactory JSON = new JsonFactory();

    private VerdictJson() {
    }

    public static String toJson(Verdict verdict) {
        StringWriter out = new StringWriter();
        try {
            write(verdict, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static void write(Verdict verdict, Writer out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            json.writeBooleanField("valid", verdict.valid());
            if (verdict.error() != null) {
                json.writeObjectFieldStart("error");
                json.writeNumberField("line", verdict.error().line());
                json.writeStringField("reason", verdict.error().reason());
                json.writeEndObject();
            } else {
                json.writeNumberField("events", verdict.events());
                json.writeObjectFieldStart("skipped_types");
                for (var skipped : verdict.skippedTypes().entrySet()) {
                    json.writeNumberField(skipped.getKey(), skipped.getValue());
                }
                json.writeEndObject();
                json.writeObjectFieldStart("invariants");
                for (InvariantResult result : verdict.invariants()) {
                    writeResult(json, result);
                }
                json.writeEndObject();
                writeStaleness(json, verdict.presence());
            }
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void writeResult(JsonGenerator json, InvariantResult result) throws IOException {
        json.writeObjectFieldStart(result.name());
        json.writeStringField("status", result.status().wire());
        json.writeNumberField("violations", result.violations());
        json.writeNumberField("judged", result.judged());
        if (result.reason() != null) {
            json.writeStringField("reason", result.reason());
        }
        json.writeArrayFieldStart("examples");
        for (Example example : result.examples()) {
            json.writeStartObject();
            MessageRef message = example.message();
            if (message != null) {
                json.writeObjectFieldStart("message");
                json.writeStringField("chat", message.chat());
                if (message.seq() > 0) {
                    json.writeNumberField("seq", message.seq());
                }
                if (message.from() != null) {
                    json.writeStringField("from", message.from());
                }
                if (message.cmid() != null) {
                    json.writeStringField("cmid", message.cmid());
                }
                json.writeEndObject();
            }
            if (example.device() != null) {
                json.writeStringField("device", example.device());
            }
            if (!example.missingOn().isEmpty()) {
                json.writeArrayFieldStart("missing_on");
                for (String device : example.missingOn()) {
                    json.writeString(device);
                }
                json.writeEndArray();
            }
            json.writeArrayFieldStart("lines");
            for (long line : example.lines()) {
                json.writeNumber(line);
            }
            json.writeEndArray();
            json.writeStringField("detail", example.detail());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeStaleness(JsonGenerator json, Staleness p) throws IOException {
        json.writeObjectFieldStart("presence_staleness_us");
        json.writeNumberField("count", p.count());
        json.writeNumberField("p50", p.p50());
        json.writeNumberField("p90", p.p90());
        json.writeNumberField("p99", p.p99());
        json.writeNumberField("max", p.max());
        json.writeNumberField("disagreeing", p.disagreeing());
        json.writeNumberField("unknown", p.unknown());
        json.writeEndObject();
    }
}
