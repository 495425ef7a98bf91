package dev.chatlab.history.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.chatlab.core.history.HistoryEvent.*;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.history.io.EventView.Type;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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

    /** Text input, read line by line (null when reading bytes). */
    private final BufferedReader in;
    /** Byte input, split into lines here and parsed by {@link FlatLine} where it can (null when reading text). */
    private final ByteLines bytes;
    private final FlatLine flat;
    private final LineFields fields = new LineFields();
    /** The event read last, as {@link #nextView()} hands it out. */
    private final EventView view = new EventView();
    private long line;
    private long lastT = -1;

    public HistoryReader(Reader reader) {
        this.in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        this.bytes = null;
        this.flat = null;
    }

    /**
     * Reads UTF-8 bytes (already gunzipped). Most lines of a history are flat objects of ASCII
     * strings and non-negative integers: those are parsed straight from the bytes; any other line
     * (escapes, non-ASCII, nesting, other JSON values, errors) is decoded and parsed like text, so
     * both ways give the same events and the same errors.
     */
    private HistoryReader(InputStream input) {
        this(input, true);
    }

    /**
     * With {@code writerOrder} false, lines in {@link HistoryWriter}'s shape are parsed like any
     * other: for tests that compare both ways.
     */
    HistoryReader(InputStream input, boolean writerOrder) {
        this.in = null;
        this.bytes = new ByteLines(input);
        this.flat = new FlatLine(view, writerOrder ? new WriterOrderLine() : null);
    }

    /**
     * Opens a {@code .jsonl} file, or a gzip-compressed one (recognised by its magic bytes, not its
     * name), which is inflated on a second thread a few chunks ahead of the reading one.
     */
    public static HistoryReader open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path);
        try {
            InputStream raw = Channels.newInputStream(channel);
            return new HistoryReader(startsWithGzipMagic(channel) ? gunzipping(raw) : raw);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Looks at the first two bytes without moving the channel: a plain file is then read straight
     * into the line buffer, not through a {@link java.io.BufferedInputStream} that would copy every
     * byte once more (about 5 ns an event of a 10M-event file).
     */
    private static boolean startsWithGzipMagic(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        int read;
        do {
            read = channel.read(magic, magic.position());
        } while (read > 0 && magic.hasRemaining());
        return magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b;
    }

    private static InputStream gunzipping(InputStream raw) throws IOException {
        return new ReadAheadInputStream(new GZIPInputStream(new java.io.BufferedInputStream(raw, 1 << 16), 1 << 16));
    }

    /** The 1-based line number of the event {@link #next()} or {@link #nextView()} returned last. */
    public long line() {
        return line;
    }

    /** The next event, or null at the end of the input. */
    public HistoryEvent next() throws IOException, HistoryFormatException {
        EventView event = nextView();
        return event == null ? null : event.toEvent();
    }

    /**
     * The next event as a view, valid until the next call, or null at the end of the input. A
     * common line of a file is not turned into a record or strings at all: the view points at
     * its bytes in the reader's buffer.
     */
    public EventView nextView() throws IOException, HistoryFormatException {
        if (bytes != null) {
            return nextFromBytes();
        }
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            return ordered(view.set(parse(text)));
        }
        return null;
    }

    /**
     * Fills {@code into} with the next events, at most {@code into.length}, and returns how many:
     * 0 at the end of the input. All of them stay valid until the next call, so that a consumer can
     * look at several events at once (a checker finds the ids of a whole batch before it judges
     * the first). Their lines are consecutive: the last one's is {@link #line()}. A batch ends early
     * where a line needs more than the common parse (more input, a blank line, an uncommon shape),
     * and before a line whose {@code t} goes backwards, which the next call reports.
     */
    public int nextViews(EventView[] into) throws IOException, HistoryFormatException {
        if (into.length == 0) {
            throw new IllegalArgumentException("an empty batch");
        }
        if (bytes == null) {
            EventView event = nextView();
            if (event == null) {
                return 0;
            }
            into[0].copyOf(event);
            return 1;
        }
        flat.into(into[0]);
        if (nextFromBytes(into[0]) == null) {
            return 0;
        }
        int count = 1;
        while (count < into.length && bytes.lineStarts()) {
            EventView event = into[count];
            flat.into(event);
            if (!flat.parse(bytes.buffer, bytes.next, FlatLine.END_UNKNOWN) || event.t() < lastT) {
                break;
            }
            bytes.endLineAt(flat.stop);
            line++;
            lastT = event.t();
            count++;
        }
        flat.into(view);
        return count;
    }

    private EventView nextFromBytes() throws IOException, HistoryFormatException {
        return nextFromBytes(view);
    }

    private EventView nextFromBytes(EventView view) throws IOException, HistoryFormatException {
        // The common line is parsed where it lies, its end found by the parse itself; any other
        // line (or one cut by the end of the buffer) is first delimited, then parsed.
        if (bytes.lineStarts()) {
            if (flat.parse(bytes.buffer, bytes.next, FlatLine.END_UNKNOWN)) {
                bytes.endLineAt(flat.stop);
                line++;
                return ordered(view);
            }
        }
        while (bytes.nextLine()) {
            line++;
            byte[] b = bytes.buffer;
            int start = bytes.start;
            int end = bytes.end;
            if (flat.parse(b, start, end)) {
                return ordered(view);
            }
            if (flat.blank) {
                continue;
            }
            String text = new String(b, start, end - start, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                continue;
            }
            return ordered(view.set(parse(text)));
        }
        return null;
    }

    private EventView ordered(EventView event) throws HistoryFormatException {
        if (event.t() < lastT) {
            throw new HistoryFormatException(line,
                    "t goes backwards: " + event.t() + " after " + lastT + " (events must be ordered by t)");
        }
        lastT = event.t();
        return event;
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
        E[] constants = type.getEnumConstants();
        String[] wires = WIRE_NAMES.get(type);
        for (int i = 0; i < constants.length; i++) {
            if (wires[i].equals(text)) {
                return constants[i];
            }
        }
        return null;
    }

    /** Per enumeration: the wire names of its constants, in ordinal order, computed once. */
    private static final ClassValue<String[]> WIRE_NAMES = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] wires = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                wires[i] = ((Enum<?>) constants[i]).name().toLowerCase(java.util.Locale.ROOT);
            }
            return wires;
        }
    };

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
        if (in != null) {
            in.close();
        } else {
            bytes.close();
        }
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
            // A repeated field counts as its last occurrence, whatever JSON type the earlier one had.
            strings[i] = null;
            numbers[i] = ABSENT;
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

    /**
     * Splits a byte stream into lines the way {@link BufferedReader#readLine()} does ({@code \n},
     * {@code \r} or {@code \r\n} ends a line; a last line without an ending still counts), without
     * decoding or copying them: after {@link #nextLine()}, the line is {@code buffer[start, end)}
     * and {@code buffer[end]} is a line-ending byte, which parsers may use as a sentinel.
     */
    private static final class ByteLines implements Closeable {

        private final InputStream input;
        byte[] buffer = new byte[1 << 16];
        int start;
        int end;
        /** Bytes of the buffer that hold data. */
        private int limit;
        /** Where the next line starts. */
        int next;
        private boolean eof;
        /** The previous line ended with a CR at the end of the data read so far: skip an LF right after it. */
        private boolean afterCr;

        ByteLines(InputStream input) {
            this.input = input;
        }

        /**
         * True when a line starts at {@link #next} within the data read so far; the bytes after
         * the data hold a zero, so a parse that runs past the data fails instead of reading stale bytes.
         */
        boolean lineStarts() {
            if (afterCr) {
                if (next == limit) {
                    return false;
                }
                afterCr = false;
                if (buffer[next] == '\n') {
                    next++;
                }
            }
            return next < limit;
        }

        /** Ends the line that starts at {@link #next} at {@code at}, which holds a CR or LF. */
        void endLineAt(int at) {
            start = next;
            end = at;
            if (buffer[at] == '\r') {
                if (at + 1 < limit) {
                    next = buffer[at + 1] == '\n' ? at + 2 : at + 1;
                } else {
                    next = at + 1;
                    afterCr = true;
                }
            } else {
                next = at + 1;
            }
        }

        boolean nextLine() throws IOException {
            if (afterCr) {
                if (next == limit && !fill()) {
                    return false;
                }
                afterCr = false;
                if (buffer[next] == '\n') {
                    next++;
                }
            }
            int scan = next;
            while (true) {
                byte[] b = buffer;
                int stop = limit;
                while (scan < stop) {
                    byte c = b[scan];
                    if (c == '\n' || c == '\r') {
                        start = next;
                        end = scan;
                        if (c == '\r') {
                            if (scan + 1 < stop) {
                                next = b[scan + 1] == '\n' ? scan + 2 : scan + 1;
                            } else {
                                next = scan + 1;
                                afterCr = true;
                            }
                        } else {
                            next = scan + 1;
                        }
                        return true;
                    }
                    scan++;
                }
                int consumed = scan - next;
                if (!fill()) {
                    if (next == limit) {
                        return false;
                    }
                    // The last line has no ending: give it one in spare room, as a sentinel.
                    start = next;
                    end = limit;
                    buffer[end] = '\n';
                    next = limit;
                    return true;
                }
                scan = next + consumed;
            }
        }

        /** Moves the unread bytes to the front and reads more; false at the end of the input. */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            int unread = limit - next;
            if (next > 0) {
                System.arraycopy(buffer, next, buffer, 0, unread);
                next = 0;
                limit = unread;
            }
            if (limit + 1 >= buffer.length) {
                // A line longer than the buffer: keep room for it and for the sentinel.
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = input.read(buffer, limit, buffer.length - 1 - limit);
            if (read < 0) {
                eof = true;
                return false;
            }
            limit += read;
            buffer[limit] = 0;
            return true;
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }

    /**
     * Parses the common shape of a line straight from its bytes: one flat JSON object whose values
     * are strings of printable ASCII without escapes or non-negative integers, every known field
     * valid. {@link #parse} returns null for anything else (with {@link #blank} set for a line of
     * spaces and tabs), and the caller parses that line as text, which gives the same event or
     * the error with its words. A field that appears twice counts as its last occurrence.
     */
    private static final class FlatLine {

        private static final int FIELDS = LineFields.NAMES.length;
        private static final byte[][] NAME_BYTES = new byte[FIELDS][];
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        /** Per field shorter than 8 bytes: its name and closing quote as a little-endian word, and the mask of their bytes. */
        private static final long[] QUOTED_NAMES = new long[FIELDS];
        private static final long[] QUOTED_NAME_MASKS = new long[FIELDS];

        static {
            for (int i = 0; i < FIELDS; i++) {
                NAME_BYTES[i] = LineFields.NAMES[i].getBytes(StandardCharsets.US_ASCII);
                byte[] name = NAME_BYTES[i];
                if (name.length < 8) {
                    for (int k = 0; k <= name.length; k++) {
                        long c = k < name.length ? name[k] : '"';
                        QUOTED_NAMES[i] |= c << (8 * k);
                        QUOTED_NAME_MASKS[i] |= 0xffL << (8 * k);
                    }
                }
            }
        }

        private static final int T = 0;
        private static final int TYPE = 1;
        private static final int USER = 2;
        private static final int DEVICE = 3;
        private static final int CHAT = 4;
        private static final int CMID = 5;
        private static final int NODE = 6;
        private static final int REASON = 7;
        private static final int OP = 8;
        private static final int SEQ = 9;
        private static final int FROM = 10;
        private static final int VIA = 11;
        private static final int BY = 12;
        private static final int STATE = 13;
        private static final int ABOUT = 14;
        private static final int LAST_SEEN = 15;

        boolean blank;
        private byte[] b;
        /** Bit i set: field i holds a string (at starts[i], lengths[i]); or a number (in numbers[i]). */
        private int strings;
        private int numbers;
        private final int[] starts = new int[FIELDS];
        private final int[] lengths = new int[FIELDS];
        private final long[] values = new long[FIELDS];
        /** Per id field of {@link EventView}: the field of a line that holds it. */
        private static final int[] FIELD_OF_ID = new int[EventView.ID_FIELDS];

        static {
            FIELD_OF_ID[EventView.USER] = USER;
            FIELD_OF_ID[EventView.DEVICE] = DEVICE;
            FIELD_OF_ID[EventView.CHAT] = CHAT;
            FIELD_OF_ID[EventView.CMID] = CMID;
            FIELD_OF_ID[EventView.FROM] = FROM;
            FIELD_OF_ID[EventView.BY] = BY;
            FIELD_OF_ID[EventView.ABOUT] = ABOUT;
            FIELD_OF_ID[EventView.NODE] = NODE;
            FIELD_OF_ID[EventView.REASON] = REASON;
        }

        /** Where a parse that succeeds puts the line's event. */
        private EventView view;

        /** The shortcut for lines as chatlab writes them, or null. */
        private final WriterOrderLine writerOrder;

        FlatLine(EventView view, WriterOrderLine writerOrder) {
            this.view = view;
            this.writerOrder = writerOrder;
        }

        void into(EventView target) {
            view = target;
        }

        /** For {@link #parse}: the line ends at the first CR or LF after its object. */
        static final int END_UNKNOWN = WriterOrderLine.END_UNKNOWN;

        /** Where the line parsed last ended, when its end was unknown. */
        int stop;

        /**
         * Parses the line at {@code buffer[from, end)} ({@code end} may be {@link #END_UNKNOWN})
         * into the view; false when it must go the slow way.
         */
        boolean parse(byte[] buffer, int from, int end) {
            if (writerOrder != null && writerOrder.parse(buffer, from, end, view)) {
                blank = false;
                stop = writerOrder.stop;
                return true;
            }
            b = buffer;
            strings = 0;
            numbers = 0;
            blank = false;
            int p = skipSpaces(from);
            if (p == end) {
                blank = true;
                return false;
            }
            if (buffer[p] != '{') {
                return false;
            }
            p = skipSpaces(p + 1);
            if (buffer[p] == '}') {
                p++;
            } else {
                while (true) {
                    if (buffer[p] != '"') {
                        return false;
                    }
                    int nameStart = p + 1;
                    int field = knownField(nameStart);
                    int nameEnd = field >= 0 ? nameStart + NAME_BYTES[field].length : stringEnd(nameStart);
                    if (nameEnd < 0) {
                        return false;
                    }
                    p = skipSpaces(nameEnd + 1);
                    if (buffer[p] != ':') {
                        return false;
                    }
                    p = skipSpaces(p + 1);
                    byte c = buffer[p];
                    if (c == '"') {
                        int valueEnd = stringEnd(p + 1);
                        if (valueEnd < 0) {
                            return false;
                        }
                        if (field >= 0) {
                            starts[field] = p + 1;
                            lengths[field] = valueEnd - p - 1;
                            strings |= 1 << field;
                            numbers &= ~(1 << field);
                        }
                        p = valueEnd + 1;
                    } else if (c >= '0' && c <= '9') {
                        long value = c - '0';
                        int digits = p;
                        p++;
                        if (c == '0' && buffer[p] >= '0' && buffer[p] <= '9') {
                            return false;
                        }
                        while (buffer[p] >= '0' && buffer[p] <= '9') {
                            value = value * 10 + (buffer[p] - '0');
                            p++;
                        }
                        if (p - digits > 18 || buffer[p] == '.' || buffer[p] == 'e' || buffer[p] == 'E') {
                            return false;
                        }
                        if (field >= 0) {
                            values[field] = value;
                            numbers |= 1 << field;
                            strings &= ~(1 << field);
                        }
                    } else {
                        return false;
                    }
                    p = skipSpaces(p);
                    if (buffer[p] == ',') {
                        p = skipSpaces(p + 1);
                    } else if (buffer[p] == '}') {
                        p++;
                        break;
                    } else {
                        return false;
                    }
                }
            }
            p = skipSpaces(p);
            if (end == END_UNKNOWN) {
                if (buffer[p] != '\n' && buffer[p] != '\r') {
                    return false;
                }
                stop = p;
            } else if (p != end) {
                return false;
            }
            return build();
        }

        private int skipSpaces(int p) {
            byte[] buffer = b;
            while (buffer[p] == ' ' || buffer[p] == '\t') {
                p++;
            }
            return p;
        }

        /** The index of the closing quote of a string of printable ASCII without escapes, or -1. */
        private int stringEnd(int p) {
            return AsciiString.closingQuote(b, p);
        }

        /**
         * The known field whose name, with its closing quote, starts at {@code at}; or -1. The
         * first bytes pick the only candidate, so a name is matched in one comparison.
         */
        private int knownField(int at) {
            byte[] buffer = b;
            int candidate;
            switch (buffer[at]) {
                case 't' -> candidate = buffer[at + 1] == '"' ? T : TYPE;
                case 'u' -> candidate = USER;
                case 'd' -> candidate = DEVICE;
                case 'c' -> candidate = buffer[at + 1] == 'h' ? CHAT : CMID;
                case 'n' -> candidate = NODE;
                case 'r' -> candidate = REASON;
                case 'o' -> candidate = OP;
                case 's' -> candidate = buffer[at + 1] == 'e' ? SEQ : STATE;
                case 'f' -> candidate = FROM;
                case 'v' -> candidate = VIA;
                case 'b' -> candidate = BY;
                case 'a' -> candidate = ABOUT;
                case 'l' -> candidate = LAST_SEEN;
                default -> {
                    return -1;
                }
            }
            byte[] name = NAME_BYTES[candidate];
            if (name.length < 8 && at + 8 <= buffer.length) {
                // The name and its closing quote as one word.
                long w = (long) LONGS.get(buffer, at);
                return (w & QUOTED_NAME_MASKS[candidate]) == QUOTED_NAMES[candidate] ? candidate : -1;
            }
            // A mismatch stops the comparison, at the latest at the line's end or the zero after the data.
            for (int i = 0; i < name.length; i++) {
                if (buffer[at + i] != name[i]) {
                    return -1;
                }
            }
            return buffer[at + name.length] == '"' ? candidate : -1;
        }

        private boolean is(int field, String text) {
            int length = lengths[field];
            if (length != text.length()) {
                return false;
            }
            int at = starts[field];
            for (int i = 0; i < length; i++) {
                if (b[at + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Fills the view with the line's event when every field its type needs is valid; false otherwise. */
        private boolean build() {
            if ((numbers & (1 << T)) == 0 || (strings & (1 << TYPE)) == 0) {
                return false;
            }
            long t = values[T];
            switch (lengths[TYPE]) {
                case 3:
                    if (is(TYPE, "ack")) {
                        return ids(1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID) && seq(SEQ)
                                && fill(Type.ACK, t, 1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID);
                    }
                    break;
                case 4:
                    if (is(TYPE, "send")) {
                        return ids(1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID)
                                && fill(Type.SEND, t, 1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID);
                    } else if (is(TYPE, "read")) {
                        return ids(1 << USER | 1 << DEVICE | 1 << CHAT) && seq(SEQ)
                                && fill(Type.READ, t, 1 << USER | 1 << DEVICE | 1 << CHAT);
                    } else if (is(TYPE, "fail")) {
                        return ids(1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID)
                                && fill(Type.FAIL, t, 1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID);
                    }
                    break;
                case 6:
                    if (is(TYPE, "member")) {
                        MemberOp op = is(OP, MemberOp.ADD) ? MemberOp.ADD : is(OP, MemberOp.REMOVE) ? MemberOp.REMOVE : null;
                        if (op == null || !ids(1 << CHAT | 1 << USER)) {
                            return false;
                        }
                        fill(Type.MEMBER, t, 1 << CHAT | 1 << USER);
                        view.op = op;
                        return true;
                    } else if (is(TYPE, "typing")) {
                        return ids(1 << USER | 1 << DEVICE | 1 << CHAT | 1 << FROM)
                                && fill(Type.TYPING, t, 1 << USER | 1 << DEVICE | 1 << CHAT | 1 << FROM);
                    }
                    break;
                case 7:
                    if (is(TYPE, "deliver")) {
                        return deliver(t);
                    } else if (is(TYPE, "receipt")) {
                        ReceiptState state = is(STATE, ReceiptState.DELIVERED) ? ReceiptState.DELIVERED
                                : is(STATE, ReceiptState.READ) ? ReceiptState.READ : null;
                        if (state == null || !ids(1 << USER | 1 << DEVICE | 1 << CHAT | 1 << BY) || !seq(SEQ)) {
                            return false;
                        }
                        fill(Type.RECEIPT, t, 1 << USER | 1 << DEVICE | 1 << CHAT | 1 << BY);
                        view.receiptState = state;
                        return true;
                    } else if (is(TYPE, "connect")) {
                        return ids(1 << USER | 1 << DEVICE | 1 << NODE) && fill(Type.CONNECT, t, 1 << USER | 1 << DEVICE | 1 << NODE);
                    } else if (is(TYPE, "quiesce")) {
                        return fill(Type.QUIESCE, t, 0);
                    }
                    break;
                case 8:
                    if (is(TYPE, "presence")) {
                        return presence(t);
                    }
                    break;
                case 10:
                    if (is(TYPE, "disconnect")) {
                        return disconnect(t);
                    }
                    break;
                default:
                    break;
            }
            fill(Type.UNKNOWN, t, 0);
            view.unknownType = new String(b, starts[TYPE], lengths[TYPE], StandardCharsets.ISO_8859_1);
            return true;
        }

        /** Sets the view's type, t, seq (for a type that has one) and the id fields of the mask; true. */
        private boolean fill(Type type, long t, int ids) {
            EventView v = view;
            v.type = type;
            v.t = t;
            v.seq = type == Type.ACK || type == Type.DELIVER || type == Type.READ || type == Type.RECEIPT ? values[SEQ] : 0;
            v.clearDetails();
            v.bytes = b;
            int[] viewStarts = v.starts;
            int[] viewLengths = v.lengths;
            for (int id = 0; id < EventView.ID_FIELDS; id++) {
                int field = FIELD_OF_ID[id];
                if ((ids & (1 << field)) != 0) {
                    viewStarts[id] = starts[field];
                    viewLengths[id] = lengths[field];
                } else {
                    viewStarts[id] = -1;
                    viewLengths[id] = -1;
                }
            }
            return true;
        }

        private boolean deliver(long t) {
            Via via = null;
            if (has(VIA)) {
                via = is(VIA, Via.PUSH) ? Via.PUSH : is(VIA, Via.SYNC) ? Via.SYNC : is(VIA, Via.PULL) ? Via.PULL : null;
                if (via == null) {
                    return false;
                }
            }
            if (!ids(1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID | 1 << FROM) || !seq(SEQ)) {
                return false;
            }
            fill(Type.DELIVER, t, 1 << USER | 1 << DEVICE | 1 << CHAT | 1 << CMID | 1 << FROM);
            view.via = via;
            return true;
        }

        private boolean presence(long t) {
            PresenceState state = is(STATE, PresenceState.ONLINE) ? PresenceState.ONLINE
                    : is(STATE, PresenceState.OFFLINE) ? PresenceState.OFFLINE : null;
            Long lastSeen = null;
            if (has(LAST_SEEN)) {
                if ((numbers & (1 << LAST_SEEN)) == 0) {
                    return false;
                }
                lastSeen = values[LAST_SEEN];
            }
            if (state == null || !ids(1 << USER | 1 << DEVICE | 1 << ABOUT)) {
                return false;
            }
            fill(Type.PRESENCE, t, 1 << USER | 1 << DEVICE | 1 << ABOUT);
            view.presenceState = state;
            view.lastSeen = lastSeen;
            return true;
        }

        private boolean disconnect(long t) {
            int reason = 0;
            if (has(REASON)) {
                if ((strings & (1 << REASON)) == 0) {
                    return false;
                }
                reason = 1 << REASON;
            }
            return ids(1 << USER | 1 << DEVICE) && fill(Type.DISCONNECT, t, 1 << USER | 1 << DEVICE | reason);
        }

        private boolean has(int field) {
            return ((strings | numbers) & (1 << field)) != 0;
        }

        private boolean is(int field, MemberOp op) {
            return (strings & (1 << field)) != 0 && is(field, op.wire());
        }

        private boolean is(int field, Via via) {
            return (strings & (1 << field)) != 0 && is(field, via == Via.PUSH ? "push" : via == Via.SYNC ? "sync" : "pull");
        }

        private boolean is(int field, ReceiptState state) {
            return (strings & (1 << field)) != 0 && is(field, state == ReceiptState.READ ? "read" : "delivered");
        }

        private boolean is(int field, PresenceState state) {
            return (strings & (1 << field)) != 0 && is(field, state == PresenceState.ONLINE ? "online" : "offline");
        }

        /** True when every field of the mask is a non-empty string. */
        private boolean ids(int mask) {
            if ((strings & mask) != mask) {
                return false;
            }
            for (int rest = mask; rest != 0; rest &= rest - 1) {
                if (lengths[Integer.numberOfTrailingZeros(rest)] == 0) {
                    return false;
                }
            }
            return true;
        }

        private boolean seq(int field) {
            return (numbers & (1 << field)) != 0 && values[field] >= 1;
        }
    }
}
