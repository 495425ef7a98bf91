package dev.chatlab.checker.facts;

/** The event types of the history format, as the checker dispatches on them. */
public enum Kind {
    MEMBER, CONNECT, DISCONNECT, SEND, ACK, FAIL, DELIVER, READ, RECEIPT, PRESENCE, TYPING, QUIESCE, UNKNOWN
}
