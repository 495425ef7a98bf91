package dev.chatlab.core.strategy;

/**
 * How a chat's messages get their seq. Chosen by the scenario; the owner node of a chat asks its
 * sequencer for the next id when it persists a message.
 */
public enum Sequencing {
    /**
     * A counter at the chat's owner node, loaded from the store when the node claims the chat;
     * the claim bumps an epoch so that a stale owner's writes are refused (fencing). Seqs are
     * contiguous, so devices can tell a hole from a gap.
     */
    OWNER_COUNTER(true),
    /**
     * Twitter-Snowflake ids from the owner's local clock (milliseconds, node number, counter).
     * No coordination, but a new owner whose clock is behind hands out smaller ids than its
     * predecessor did: per-chat order breaks under clock skew and failover.
     */
    SNOWFLAKE(false),
    /** The store assigns the next seq atomically on append. Contiguous, at the cost of a store round trip per batch. */
    STORE_COUNTER(true);

    private final boolean contiguous;

    Sequencing(boolean contiguous) {
        this.contiguous = contiguous;
    }

    /** Whether seqs go 1, 2, 3... with no gaps, so that a device can detect a missing message. */
    public boolean contiguous() {
        return contiguous;
    }
}
