package dev.chatlab.checker;

/** How one invariant fared; {@link #wire()} is the word the JSON verdict uses. */
public enum InvariantStatus {
    OK("ok"),
    VIOLATED("violated"),
    /** The history does not contain what the invariant needs (no-lost-ack without a quiesce). */
    NOT_APPLICABLE("not-applicable");

    private final String wire;

    InvariantStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
