package dev.chatlab.core.protocol;

import java.util.Locale;

/** Stable error codes of the wire protocol: clients branch on these, so never rename one. */
public enum ErrorCode {
    /** The frame is not valid JSON, or not a JSON object. */
    BAD_JSON,
    /** The frame's {@code type} is not one this version knows. */
    UNKNOWN_TYPE,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or a value outside its range or list. */
    BAD_FIELD,
    /** The frame is longer than the limit. */
    FRAME_TOO_LARGE,
    /** The frame's {@code v} is a protocol version this server does not speak. */
    UNSUPPORTED_VERSION,
    /** Only {@code hello} is accepted before the session is open. */
    NOT_AUTHENTICATED,
    /** The credential is missing, forged or expired. */
    AUTH_FAILED,
    /** The user is not a member of the chat. */
    NOT_A_MEMBER,
    /** The user may not do this (e.g. act as another user). */
    FORBIDDEN,
    /** Too many frames too fast. */
    RATE_LIMITED,
    /** The chat cannot take writes right now (its owner is moving or the store is down); retry later. */
    UNAVAILABLE,
    /** A bug on the server's side. */
    INTERNAL;

    /** The code as written on the wire, e.g. {@code not-a-member}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The code for a wire string, or null if there is none. */
    public static ErrorCode fromWire(String text) {
        for (ErrorCode code : values()) {
            if (code.wire().equals(text)) {
                return code;
            }
        }
        return null;
    }
}
