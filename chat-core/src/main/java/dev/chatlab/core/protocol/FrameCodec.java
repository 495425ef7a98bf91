package dev.chatlab.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Encodes frames as JSON text and decodes text into frames. Decoding never throws for bad input:
 * it returns a {@link Decoded} that holds either a frame or the {@link Frame.Error} to send back.
 *
 * <pre>{@code
 * FrameCodec codec = new FrameCodec();                      // immutable: share one per process
 * String text = codec.encode(new Frame.Ack("c1", "m-1", 42));
 * // {"v":1,"type":"ack","chat":"c1","cmid":"m-1","seq":42}
 *
 * FrameCodec.Decoded in = codec.decode(received);
 * if (in.ok()) {
 *     handle(in.frame());
 * } else {
 *     send(codec.encode(in.error()));                       // e.g. bad-field: "field 'seq' of 'ack': ..."
 * }
 * }</pre>
 *
 * <p>{@code docs/protocol.md} is the wire format this class reads and writes. Encoding writes the
 * fields of a frame in a fixed order (the same frame, the same text) and refuses, with an
 * {@link IllegalArgumentException}, a frame the decoder would refuse. Decoding checks the length
 * first, so an oversized frame costs nothing to refuse, then the JSON, the version, the type and
 * the type's fields; the error's message names the field and what it should have held.
 */
public final class FrameCodec {

    /** The default limit on a frame's length in characters. */
    public static final int FRAME_CHARS_MAX_DEFAULT = 64 * 1024;

    /** The most messages one {@link Frame.Sync} may ask for. */
    public static final int SYNC_LIMIT_MAX = WireRules.SYNC_LIMIT_MAX;

    /** The deepest nesting of arrays and objects a frame may hold (frames of v1 need 3; the rest is room for newer fields). */
    public static final int NESTING_DEPTH_MAX = 32;

    /** The most digits a number may have, whatever field it is in. */
    public static final int NUMBER_CHARS_MAX = 1000;

    // JsonFactory is thread-safe and holds the parsers' shared symbol table: one for all codecs.
    private static final JsonFactory JSON = new JsonFactoryBuilder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(NESTING_DEPTH_MAX)
                    .maxNumberLength(NUMBER_CHARS_MAX)
                    .build())
            // Field names come from peers: keep them out of the JVM's string pool, and let a flood
            // of colliding names slow the symbol table down rather than throw.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
            .build();

    private static final FrameDecoder DECODER = new FrameDecoder(JSON);

    private final int frameCharsMax;

    public FrameCodec() {
        this(FRAME_CHARS_MAX_DEFAULT);
    }

    public FrameCodec(int frameCharsMax) {
        if (frameCharsMax < 1) {
            throw new IllegalArgumentException("frameCharsMax must be positive, got " + frameCharsMax);
        }
        this.frameCharsMax = frameCharsMax;
    }

    public int frameCharsMax() {
        return frameCharsMax;
    }

    /** The outcome of decoding: exactly one of {@code frame} and {@code error} is non-null. */
    public record Decoded(Frame frame, Frame.Error error) {
        public Decoded {
            if ((frame == null) == (error == null)) {
                throw new IllegalArgumentException("exactly one of frame and error must be given");
            }
        }

        public static Decoded of(Frame frame) {
            return new Decoded(Objects.requireNonNull(frame, "frame"), null);
        }

        public static Decoded refused(ErrorCode code, String message) {
            return new Decoded(null, new Frame.Error(code, message));
        }

        public boolean ok() {
            return frame != null;
        }
    }

    /**
     * The frame as one line of JSON text.
     *
     * @throws IllegalArgumentException if the frame breaks a rule of the protocol (an empty id,
     *     a seq below 1, a null body...): the message names the field, as a decoder would
     */
    public String encode(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            FrameEncoder.write(g, frame);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return escapeLoneSurrogates(out.toString());
    }

    /**
     * A lone surrogate is a valid character of a JSON string but has no UTF-8 encoding: written as
     * it is, the WebSocket layer would send {@code ?} instead. Written as a JSON escape (backslash,
     * u, four hex digits) it arrives exactly. (Surrogates occur only inside strings, so the escape
     * is always in one.)
     */
    static String escapeLoneSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            out.append(String.format("\\u%04x", (int) c));
        }
        return out == null ? text : out.toString();
    }

    /** The frame that {@code text} holds, or the error to answer it with; never throws. */
    public Decoded decode(String text) {
        if (text == null) {
            return Decoded.refused(ErrorCode.BAD_JSON, "no frame text: expected a JSON object");
        }
        // Before any parsing, so that an oversized frame is refused at the cost of reading its length.
        if (text.length() > frameCharsMax) {
            return Decoded.refused(ErrorCode.FRAME_TOO_LARGE, "frame of " + text.length()
                    + " characters: expected at most " + frameCharsMax);
        }
        try {
            return Decoded.of(DECODER.decode(text));
        } catch (Rejection rejection) {
            return new Decoded(null, rejection.toFrame());
        } catch (RuntimeException bug) {
            // Every bad input has its own code above; reaching here means the codec is wrong.
            return Decoded.refused(ErrorCode.INTERNAL, "the codec failed on this frame ("
                    + bug.getClass().getSimpleName() + "); this is a bug in the codec, not in the frame");
        }
    }
}
