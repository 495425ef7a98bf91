package dev.chatlab.core.protocol;

/**
 * Encodes frames as JSON text and decodes text into frames. Decoding never throws for bad input:
 * it returns a {@link Decoded} that holds either a frame or the {@link Frame.Error} to send back.
 */
public final class FrameCodec {

    /** The default limit on a frame's length in characters. */
    public static final int FRAME_CHARS_MAX_DEFAULT = 64 * 1024;

    private final int frameCharsMax;

    public FrameCodec() {
        this(FRAME_CHARS_MAX_DEFAULT);
    }

    public FrameCodec(int frameCharsMax) {
        this.frameCharsMax = frameCharsMax;
    }

    public int frameCharsMax() {
        return frameCharsMax;
    }

    /** The outcome of decoding: exactly one of {@code frame} and {@code error} is non-null. */
    public record Decoded(Frame frame, Frame.Error error) {
        public boolean ok() {
            return frame != null;
        }
    }

    public String encode(Frame frame) {
        throw new UnsupportedOperationException("TODO codec");
    }

    public Decoded decode(String text) {
        throw new UnsupportedOperationException("TODO codec");
    }
}
