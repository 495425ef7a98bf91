package dev.chatlab.core.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.chatlab.core.history.HistoryEvent.*;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams a history, one event at a time, validating each line as it goes.
 *
 * <pre>{@code
 * try (HistoryReader in = HistoryReader.open(path)) {
 *     for (HistoryEvent e; (e = in.next()) != null; ) {
 *         judge(e, in.line());
 *     }
 * }
 * }</pre>
 *
 * <p>Memory stays constant whatever the file's length. Unknown types come back as
 * {@link HistoryEvent.Unknown} (their {@code t} still counts for order) and unknown fields are
 * skipped. A known type with a missing or ill-typed field, a line that is not a JSON object, and
 * a {@code t} smaller than the previous line's throw {@link HistoryFormatException} naming the line.
 */
public final class HistoryReader implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    private final BufferedReader in;
    private final LineFields fields = new LineFields();
    private long line;
    private long lastT = -1;

    public HistoryReader(Reader reader) {
        this.in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    }

    /** Opens a {@code .jsonl} file, or a gzip-compressed one (recognised by its magic bytes, not its name). */
    public static HistoryReader open(Path path) throws IOException {
        InputStream raw = Files.newInputStream(path);
        return new HistoryReader(new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8));
    }

    static InputStream maybeGunzip(InputStream raw) throws IOException {
        var buffered = new java.io.BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(buffered, 1 << 16);
        }
        return buffered;
    }

    /** The 1-based line number of the event {@link #next()} returned last. */
    public long line() {
        return line;
    }

    /** The next event, or null at the end of the input. */
    public HistoryEvent next() throws IOException, HistoryFormatException {
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            HistoryEvent event = parse(text);
            if (event.t() < lastT) {
                throw new HistoryFormatException(line,
                        "t goes backwards: " + event.t() + " after " + lastT + " (events must be ordered by t)");
            }
            lastT = event.t();
            return event;
        }
        return null;
    }

    /** Parses one line on its own, without the order check; for tests and tools. */
    public static HistoryEvent parseLine(String text, long lineNumber) throws HistoryFormatException {
        var reader = new HistoryReader(Reader.nullReader());
        reader.line = lineNumber;
        return reader.parse(text);
    }

    private HistoryEvent parse(String text) throws HistoryFormatException {
        fields.clear();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HistoryFormatException(line, "expected a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                fields.take(name, value, p);
            }
            if (token != JsonToken.END_OBJECT) {
                throw new HistoryFormatException(line, "malformed JSON object");
            }
            if (p.nextToken() != null) {
                throw new HistoryFormatException(line, "unexpected text after the JSON object (one event per line)");
            }
        } catch (JsonParseException e) {
            throw new HistoryFormatException(line, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HistoryFormatException(line, "unreadable line: " + e.getMessage());
        }
        return build();
    }

    private HistoryEvent build() throws HistoryFormatException {
        long t = fields.t();
        if (t == LineFields.ABSENT) {
            throw missingOrIllTyped("t", "a non-negative integer");
        }
        String type = fields.str(LineFields.TYPE);
        if (type == null) {
            throw missingOrIllTyped("type", "a string");
        }
        return switch (type) {
            case "member" -> new Member(t, id("chat"), id("user"), enumField("op", MemberOp.class));
            case "connect" -> new Connect(t, id("user"), id("device"), id("node"));
            case "disconnect" -> new Disconnect(t, id("user"), id("device"), optionalString("reason"));
            case "send" -> new Send(t, id("user"), id("device"), id("chat"), id("cmid"));
            case "ack" -> new Ack(t, id("user"), id("device"), id("chat"), id("cmid"), seq("seq"));
            case "fail" -> new Fail(t, id("user"), id("device"), id("chat"), id("cmid"));
            case "deliver" -> new Deliver(t, id("user"), id("device"), id("chat"), seq("seq"), id("cmid"),
                    id("from"), optionalEnum("via", Via.class));
            case "read" -> new Read(t, id("user"), id("device"), id("chat"), seq("seq"));
            case "receipt" -> new Receipt(t, id("user"), id("device"), id("chat"), id("by"),
                    enumField("state", ReceiptState.class), seq("seq"));
            case "presence" -> new Presence(t, id("user"), id("device"), id("about"),
                    enumField("state", PresenceState.class), optionalLastSeen());
            case "typing" -> new Typing(t, id("user"), id("device"), id("chat"), id("from"));
            case "quiesce" -> new Quiesce(t);
            default -> new Unknown(t, type);
        };
    }

    private String id(String name) throws HistoryFormatException {
        String value = fields.str(LineFields.index(name));
        if (value == null || value.isEmpty()) {
            throw missingOrIllTyped(name, "a non-empty string");
        }
        return value;
    }

    private String optionalString(String name) throws HistoryFormatException {
        int i = LineFields.index(name);
        if (!fields.present(i)) {
            return null;
        }
        String value = fields.str(i);
        if (value == null) {
            throw new HistoryFormatException(line, "field '" + name + "' is ill-typed: expected a string");
        }
        return value;
    }

    private long seq(String name) throws HistoryFormatException {
        int i = LineFields.index(name);
        long value = fields.num(i);
        if (value == LineFields.ABSENT || value < 1) {
            throw missingOrIllTyped(name, "a positive 64-bit integer");
        }
        return value;
    }

    private Long optionalLastSeen() throws HistoryFormatException {
        int i = LineFields.index("last_seen");
        if (!fields.present(i)) {
            return null;
        }
        long value = fields.num(i);
        if (value == LineFields.ABSENT) {
            throw new HistoryFormatException(line, "field 'last_seen' is ill-typed: expected a non-negative integer");
        }
        return value;
    }

    private <E extends Enum<E>> E enumField(String name, Class<E> type) throws HistoryFormatException {
        E value = parseEnum(name, type);
        if (value == null) {
            throw missingOrIllTyped(name, "one of " + choices(type));
        }
        return value;
    }

    private <E extends Enum<E>> E optionalEnum(String name, Class<E> type) throws HistoryFormatException {
        if (!fields.present(LineFields.index(name))) {
            return null;
        }
        return enumField(name, type);
    }

    private <E extends Enum<E>> E parseEnum(String name, Class<E> type) {
        String text = fields.str(LineFields.index(name));
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(java.util.Locale.ROOT).equals(text)) {
                return constant;
            }
        }
        return null;
    }

    private static <E extends Enum<E>> String choices(Class<E> type) {
        var names = new java.util.StringJoiner("', '", "'", "'");
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        return names.toString();
    }

    private HistoryFormatException missingOrIllTyped(String name, String expected) {
        int i = LineFields.index(name);
        String what = fields.present(i) ? "is ill-typed" : "is missing";
        return new HistoryFormatException(line, "field '" + name + "' " + what + ": expected " + expected);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The known fields of one line, reused from line to line so that reading allocates little. */
    private static final class LineFields {
        static final long ABSENT = Long.MIN_VALUE;
        static final String[] NAMES = {
            "t", "type", "user", "device", "chat", "cmid", "node", "reason", "op", "seq",
            "from", "via", "by", "state", "about", "last_seen"
        };
        static final int T = 0;
        static final int TYPE = 1;

        final String[] strings = new String[NAMES.length];
        final long[] numbers = new long[NAMES.length];
        final boolean[] present = new boolean[NAMES.length];

        static int index(String name) {
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(name);
        }

        void clear() {
            java.util.Arrays.fill(strings, null);
            java.util.Arrays.fill(numbers, ABSENT);
            java.util.Arrays.fill(present, false);
        }

        void take(String name, JsonToken value, JsonParser p) throws IOException {
            int i = -1;
            for (int k = 0; k < NAMES.length; k++) {
                if (NAMES[k].equals(name)) {
                    i = k;
                    break;
                }
            }
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
            if (i < 0) {
                return;
            }
            present[i] = true;
            if (value == JsonToken.VALUE_STRING) {
                strings[i] = p.getText();
            } else if (value == JsonToken.VALUE_NUMBER_INT
                    && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                long n = p.getLongValue();
                numbers[i] = n >= 0 ? n : ABSENT;
            }
        }

        long t() {
            return numbers[T];
        }

        String str(int i) {
            return strings[i];
        }

        long num(int i) {
            return numbers[i];
        }

        boolean present(int i) {
            return present[i];
        }
    }
}
