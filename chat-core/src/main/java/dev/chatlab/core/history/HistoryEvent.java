package dev.chatlab.core.history;

/**
 * One line of a chat history (format v1, see {@code docs/history-format.md}).
 *
 * <p>Every event carries {@code t}, microseconds since the start of the run. Producers (the
 * simulator, the real fleet) build these records and hand them to a {@link HistoryWriter} or
 * straight to an online checker; history-io's {@code HistoryReader} turns a file back into them.
 *
 * <pre>{@code
 * try (HistoryWriter out = HistoryWriter.open(Path.of("history.jsonl.gz"))) {
 *     out.write(new HistoryEvent.Send(10, "alice", "phone", "c1", "m-1"));
 * }
 * }</pre>
 */
public sealed interface HistoryEvent {

    /** Microseconds since the start of the run. */
    long t();

    /** The {@code type} field as written on the wire. */
    String type();

    /** Membership change of a chat as the system applied it. */
    record Member(long t, String chat, String user, MemberOp op) implements HistoryEvent {
        public String type() { return "member"; }
    }

    /** The device opened a session to a server node. */
    record Connect(long t, String user, String device, String node) implements HistoryEvent {
        public String type() { return "connect"; }
    }

    /** The device's session ended; {@code reason} may be null. */
    record Disconnect(long t, String user, String device, String reason) implements HistoryEvent {
        public String type() { return "disconnect"; }
    }

    /** The device asked to send message {@code cmid} to {@code chat}. */
    record Send(long t, String user, String device, String chat, String cmid) implements HistoryEvent {
        public String type() { return "send"; }
    }

    /** The server confirmed the message durable with sequence {@code seq}. */
    record Ack(long t, String user, String device, String chat, String cmid, long seq) implements HistoryEvent {
        public String type() { return "ack"; }
    }

    /** The server definitely refused the message. */
    record Fail(long t, String user, String device, String chat, String cmid) implements HistoryEvent {
        public String type() { return "fail"; }
    }

    /** The device displayed message {@code seq} of {@code chat}, sent by {@code from}; {@code via} may be null. */
    record Deliver(long t, String user, String device, String chat, long seq, String cmid, String from, Via via)
            implements HistoryEvent {
        public String type() { return "deliver"; }
    }

    /** The user, on this device, read the chat up to and including {@code seq}. */
    record Read(long t, String user, String device, String chat, long seq) implements HistoryEvent {
        public String type() { return "read"; }
    }

    /** This device learned that {@code by} reached {@code state} for the chat up to {@code seq}. */
    record Receipt(long t, String user, String device, String chat, String by, ReceiptState state, long seq)
            implements HistoryEvent {
        public String type() { return "receipt"; }
    }

    /** This device was told the presence of {@code about}; {@code lastSeen} may be null. */
    record Presence(long t, String user, String device, String about, PresenceState state, Long lastSeen)
            implements HistoryEvent {
        public String type() { return "presence"; }
    }

    /** This device was shown "{@code from} is typing" in {@code chat}. */
    record Typing(long t, String user, String device, String chat, String from) implements HistoryEvent {
        public String type() { return "typing"; }
    }

    /** From here on no fault is injected; every device reconnects and syncs. */
    record Quiesce(long t) implements HistoryEvent {
        public String type() { return "quiesce"; }
    }

    /**
     * A line whose {@code type} this version does not know. Kept so that its {@code t} still
     * counts for order; writers never produce it.
     */
    record Unknown(long t, String type) implements HistoryEvent {
    }

    enum MemberOp {
        ADD, REMOVE;
        public String wire() { return this == ADD ? "add" : "remove"; }
    }

    enum Via {
        PUSH, SYNC, PULL;
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    enum ReceiptState {
        DELIVERED, READ;
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    enum PresenceState {
        ONLINE, OFFLINE;
        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
