package dev.chatlab.checker.facts;

import dev.chatlab.history.io.EventView;

/** The event types of the history format, as the checker dispatches on them. */
public enum Kind {
    MEMBER, CONNECT, DISCONNECT, SEND, ACK, FAIL, DELIVER, READ, RECEIPT, PRESENCE, TYPING, QUIESCE, UNKNOWN;

    private static final Kind[] OF_TYPE = new Kind[EventView.Type.values().length];

    static {
        for (EventView.Type type : EventView.Type.values()) {
            OF_TYPE[type.ordinal()] = valueOf(type.name());
        }
    }

    public static Kind of(EventView.Type type) {
        return OF_TYPE[type.ordinal()];
    }

    /** The {@code type} field as written on the wire. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
