package dev.chatlab.core.store;

/**
 * A member's state in the store. A change is written first as ADDING or REMOVING and settled
 * once the owner has recorded it, so that a new owner can finish a change its predecessor
 * started but did not live to announce.
 */
public enum MemberState {
    ADDING, MEMBER, REMOVING
}
