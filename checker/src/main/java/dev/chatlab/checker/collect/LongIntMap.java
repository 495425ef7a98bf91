package dev.chatlab.checker.collect;

/**
 * An open-addressing map from long keys to non-negative int values (typically a packed pair of
 * ids to a dense index); {@link #MISSING} marks absence, so no value may be negative.
 *
 * <pre>{@code
 * LongIntMap deviceChats = new LongIntMap(1024);
 * long key = LongIntMap.pack(device, chat);
 * int dc = deviceChats.get(key);
 * if (dc == LongIntMap.MISSING) { deviceChats.put(key, next++); }
 * }</pre>
 */
public final class LongIntMap {

    public static final int MISSING = -1;

    private long[] keys;
    /** Values complemented, so that the zeros of a new array are {@link #MISSING} without a pass to mark them. */
    private int[] values;
    private int size;
    private int mask;

    public LongIntMap(int expected) {
        int capacity = Hashing.capacityFor(expected);
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /** Two non-negative ints as one key. */
    public static long pack(int high, int low) {
        return ((long) high << 32) | (low & 0xffffffffL);
    }

    public int size() {
        return size;
    }

    public int get(long key) {
        int slot = Hashing.mix(key) & mask;
        while (true) {
            int value = ~values[slot];
            if (value == MISSING) {
                return MISSING;
            }
            if (keys[slot] == key) {
                return value;
            }
            slot = (slot + 1) & mask;
        }
    }

    public void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative: " + value);
        }
        int slot = Hashing.mix(key) & mask;
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                values[slot] = ~value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = ~value;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldValues.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) {
                int slot = Hashing.mix(oldKeys[i]) & mask;
                while (values[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
