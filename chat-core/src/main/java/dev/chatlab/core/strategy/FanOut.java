package dev.chatlab.core.strategy;

/**
 * How the owner of a chat tells members' online devices about a new message: push the message
 * to each, or send a small notify that makes each device pull (sync) it, or choose by group size.
 */
public record FanOut(Mode mode, int pullAboveMembers) {

    public enum Mode { PUSH, PULL, HYBRID }

    public static FanOut push() {
        return new FanOut(Mode.PUSH, Integer.MAX_VALUE);
    }

    public static FanOut pull() {
        return new FanOut(Mode.PULL, 0);
    }

    /** Push to groups of at most {@code threshold} members, notify-and-pull above it (the seed's mega group). */
    public static FanOut hybrid(int threshold) {
        return new FanOut(Mode.HYBRID, threshold);
    }

    public boolean pushes(int memberCount) {
        if (mode == Mode.PUSH) {
            return true;
        }
        if (mode == Mode.PULL) {
            return false;
        }
        return memberCount <= pullAboveMembers;
    }
}
