package dev.chatlab.core.strategy;

/**
 * Snowflake ids: 41 bits of milliseconds since the run's start, 10 bits of node number and 12
 * bits of counter, so that ids from one node grow with its clock and ids of two nodes never
 * collide. The clock is the node's own, skew included: that is the what-if.
 */
public final class SnowflakeIds {

    private static final int NODE_BITS = 10;
    private static final int COUNTER_BITS = 12;

    private final long nodeNumber;
    private long lastMillis = -1;
    private long counter;

    public SnowflakeIds(long nodeNumber) {
        this.nodeNumber = nodeNumber & ((1L << NODE_BITS) - 1);
    }

    /** The next id for a node whose local clock reads {@code localMicros}. */
    public long next(long localMicros) {
        long millis = Math.max(0, localMicros / 1000);
        if (millis <= lastMillis) {
            counter++;
            if (counter >= (1L << COUNTER_BITS)) {
                lastMillis++;
                counter = 0;
            }
            millis = lastMillis;
        } else {
            lastMillis = millis;
            counter = 0;
        }
        // +1 keeps ids positive even at millisecond 0 of node 0.
        return ((millis << (NODE_BITS + COUNTER_BITS)) | (nodeNumber << COUNTER_BITS) | counter) + 1;
    }
}
