package dev.chatlab.checker.collect;

/**
 * An open-addressing map from long keys to long values, for watermarks keyed by packed ids. Key
 * and value sit side by side, so a probe reads one cache line. {@code Long.MIN_VALUE} cannot be
 * a key (it marks an empty slot).
 *
 * <pre>{@code
 * LongLongMap watermarks = new LongLongMap(1024);
 * long previous = watermarks.get(key, 0);
 * watermarks.put(key, Math.max(previous, seq));
 * }</pre>
 */
public final class LongLongMap {

    private static final long EMPTY = Long.MIN_VALUE;
    /** Keys are stored XOR {@code EMPTY}, so that the zeros of a new array are empty slots without a pass to mark them. */
    private static final long FLIP = EMPTY;

    private long[] slots;
    private int size;
    private int mask;

    public LongLongMap(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity * 2];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or {@code missing} when it has none. */
    public long get(long key, long missing) {
        int slot = Hashing.mix(key) & mask;
        while (true) {
            long stored = slots[slot * 2] ^ FLIP;
            if (stored == key) {
                return slots[slot * 2 + 1];
            }
            if (stored == EMPTY) {
                return missing;
            }
            slot = (slot + 1) & mask;
        }
    }

    public boolean containsKey(long key) {
        int slot = Hashing.mix(key) & mask;
        while (true) {
            long stored = slots[slot * 2] ^ FLIP;
            if (stored == key) {
                return true;
            }
            if (stored == EMPTY) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    public void put(long key, long value) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("Long.MIN_VALUE cannot be a key");
        }
        int slot = Hashing.mix(key) & mask;
        while (true) {
            long stored = slots[slot * 2] ^ FLIP;
            if (stored == key) {
                slots[slot * 2 + 1] = value;
                return;
            }
            if (stored == EMPTY) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        slots[slot * 2] = key ^ FLIP;
        slots[slot * 2 + 1] = value;
        if (++size * 2 > mask + 1) {
            grow();
        }
    }

    private void grow() {
        long[] old = slots;
        int capacity = (mask + 1) * 2;
        slots = new long[capacity * 2];
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += 2) {
            long key = old[i] ^ FLIP;
            if (key == EMPTY) {
                continue;
            }
            int slot = Hashing.mix(key) & mask;
            while (slots[slot * 2] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot * 2] = old[i];
            slots[slot * 2 + 1] = old[i + 1];
        }
    }
}
