package dev.chatlab.core.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.chatlab.core.history.HistoryEvent.*;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes history events as JSON Lines, fields in a fixed order ({@code t}, {@code type}, then the
 * type's fields), so that the same events always give the same bytes: the simulator's
 * determinism check compares digests of these files.
 *
 * <pre>{@code
 * try (HistoryWriter out = HistoryWriter.open(dir.resolve("history.jsonl.gz"))) {
 *     out.write(new HistoryEvent.Connect(0, "alice", "phone", "n1"));
 * }
 * }</pre>
 */
public final class HistoryWriter implements Closeable, HistorySink {

    private static final JsonFactory JSON = new JsonFactory();

    private final Writer out;
    private final JsonGenerator json;
    private long lastT = -1;

    public HistoryWriter(Writer out) {
        this.out = out;
        try {
            this.json = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(null);
    }

    /** Opens a file for writing; a name ending in {@code .gz} is gzip-compressed. */
    public static HistoryWriter open(Path path) throws IOException {
        OutputStream raw = Files.newOutputStream(path);
        if (path.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPOutputStream(raw, 1 << 16);
        }
        return new HistoryWriter(new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16));
    }

    /** Appends one event; events must come in order of {@code t}. */
    @Override
    public void accept(HistoryEvent event) {
        try {
            write(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(HistoryEvent event) throws IOException {
        if (event instanceof Unknown) {
            throw new IllegalArgumentException("writers never produce unknown event types: " + event);
        }
        if (event.t() < lastT) {
            throw new IllegalArgumentException("t goes backwards: " + event.t() + " after " + lastT);
        }
        lastT = event.t();
        json.writeStartObject();
        json.writeNumberField("t", event.t());
        json.writeStringField("type", event.type());
        if (event instanceof Member e) {
            json.writeStringField("chat", e.chat());
            json.writeStringField("user", e.user());
            json.writeStringField("op", e.op().wire());
        } else if (event instanceof Connect e) {
            device(e.user(), e.device());
            json.writeStringField("node", e.node());
        } else if (event instanceof Disconnect e) {
            device(e.user(), e.device());
            if (e.reason() != null) {
                json.writeStringField("reason", e.reason());
            }
        } else if (event instanceof Send e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeStringField("cmid", e.cmid());
        } else if (event instanceof Ack e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeStringField("cmid", e.cmid());
            json.writeNumberField("seq", e.seq());
        } else if (event instanceof Fail e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeStringField("cmid", e.cmid());
        } else if (event instanceof Deliver e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeNumberField("seq", e.seq());
            json.writeStringField("cmid", e.cmid());
            json.writeStringField("from", e.from());
            if (e.via() != null) {
                json.writeStringField("via", e.via().wire());
            }
        } else if (event instanceof Read e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeNumberField("seq", e.seq());
        } else if (event instanceof Receipt e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeStringField("by", e.by());
            json.writeStringField("state", e.state().wire());
            json.writeNumberField("seq", e.seq());
        } else if (event instanceof Presence e) {
            device(e.user(), e.device());
            json.writeStringField("about", e.about());
            json.writeStringField("state", e.state().wire());
            if (e.lastSeen() != null) {
                json.writeNumberField("last_seen", e.lastSeen());
            }
        } else if (event instanceof Typing e) {
            device(e.user(), e.device());
            json.writeStringField("chat", e.chat());
            json.writeStringField("from", e.from());
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void device(String user, String device) throws IOException {
        json.writeStringField("user", user);
        json.writeStringField("device", device);
    }

    public void flush() throws IOException {
        json.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
        out.close();
    }
}
