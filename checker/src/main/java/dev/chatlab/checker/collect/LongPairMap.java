package dev.chatlab.checker.collect;

/**
 * An open-addressing map from a long key to two long values stored beside it (three longs per
 * slot): a watermark and the line that set it, in one probe and without a second table.
 * {@code Long.MIN_VALUE} cannot be a key (it marks an empty slot).
 *
 * <pre>{@code
 * LongPairMap marks = new LongPairMap(1024);
 * if (seq > marks.first(key, 0)) marks.put(key, seq, line);
 * long line = marks.second(key, 0);
 * }</pre>
 */
public final class LongPairMap {

    private static final long EMPTY = Long.MIN_VALUE;
    /** Keys are stored XOR {@code EMPTY}, so that the zeros of a new array are empty slots without a pass to mark them. */
    private static final long FLIP = EMPTY;

    private long[] slots;
    private int size;
    private int mask;

    public LongPairMap(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity * 3];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** The slot index (times three) holding {@code key}, or -1. */
    private int find(long key) {
        int slot = Hashing.mix(key) & mask;
        while (true) {
            long stored = slots[slot * 3] ^ FLIP;
            if (stored == key) {
                return slot * 3;
            }
            if (stored == EMPTY) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Reads the slot where {@code key} is looked for first: a hint that it is wanted soon; returns what it read. */
    public long touch(long key) {
        return slots[(Hashing.mix(key) & mask) * 3];
    }

    /** The first value for {@code key}, or {@code missing}. */
    public long first(long key, long missing) {
        int at = find(key);
        return at < 0 ? missing : slots[at + 1];
    }

    /** The second value for {@code key}, or {@code missing}. */
    public long second(long key, long missing) {
        int at = find(key);
        return at < 0 ? missing : slots[at + 2];
    }

    public void put(long key, long first, long second) {
        if (key == EMPTY) {
            throw new IllegalArgumentException("Long.MIN_VALUE cannot be a key");
        }
        int slot = Hashing.mix(key) & mask;
        while (true) {
            long stored = slots[slot * 3] ^ FLIP;
            if (stored == key) {
                slots[slot * 3 + 1] = first;
                slots[slot * 3 + 2] = second;
                return;
            }
            if (stored == EMPTY) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        slots[slot * 3] = key ^ FLIP;
        slots[slot * 3 + 1] = first;
        slots[slot * 3 + 2] = second;
        if (++size * 2 > mask + 1) {
            grow();
        }
    }

    private void grow() {
        long[] old = slots;
        int capacity = (mask + 1) * 2;
        slots = new long[capacity * 3];
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += 3) {
            long key = old[i] ^ FLIP;
            if (key == EMPTY) {
                continue;
            }
            int slot = Hashing.mix(key) & mask;
            while (slots[slot * 3] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot * 3] = old[i];
            slots[slot * 3 + 1] = old[i + 1];
            slots[slot * 3 + 2] = old[i + 2];
        }
    }
}
