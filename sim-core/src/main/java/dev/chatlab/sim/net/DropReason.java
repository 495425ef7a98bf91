package dev.chatlab.sim.net;

/** Why the network did not deliver a message. */
public enum DropReason {
    /** The link's loss probability struck. */
    LOSS,
    /** A partition cut the link, at send or while the message was in flight. */
    PARTITION,
    /** The destination was down when the message was sent. */
    DESTINATION_DOWN,
    /** The destination crashed while the message was in flight (it may be up again, as a new incarnation). */
    STALE_INCARNATION
}
