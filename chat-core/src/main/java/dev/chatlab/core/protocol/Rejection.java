package dev.chatlab.core.protocol;

/**
 * Why a frame was refused: the error code and the sentence for people that the peer gets back.
 * Thrown inside the decoder to leave a half-read frame early; {@link FrameCodec#decode} turns it
 * into a {@link Frame.Error}, so it never escapes the codec.
 *
 * <pre>{@code
 * throw new Rejection(ErrorCode.MISSING_FIELD, WireRules.missingField("seq", "ack", WireRules.SEQ));
 * }</pre>
 */
final class Rejection extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    Rejection(ErrorCode code, String message) {
        // No stack trace: a peer can send bad frames at line rate, and the trace would say nothing.
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }

    Frame.Error toFrame() {
        return new Frame.Error(code, getMessage());
    }
}
