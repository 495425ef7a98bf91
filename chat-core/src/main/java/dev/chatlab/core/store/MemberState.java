package dev.chatlab.core.store;

/**
 * A member's state in the store, which also carries the member's role. A change is written first
 * as ADDING or REMOVING and settled once the owner has recorded it, so that a new owner can
 * finish a change its predecessor started but did not live to announce. A settled member is a
 * MEMBER of a group, its ADMIN (the group's creator: adds and removes others), or FIXED (one of
 * the two members of a 1:1 chat, which nobody joins or leaves).
 */
public enum MemberState {
    ADDING, MEMBER, REMOVING, ADMIN, FIXED;

    /** A member whose addition is recorded and who is not being removed: one who reads and writes the chat. */
    public boolean settled() {
        return this == MEMBER || this == ADMIN || this == FIXED;
    }
}
