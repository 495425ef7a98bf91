package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to long values, for watermarks keyed by packed ids.
 *
 * <pre>{@code
 * LongLongMap watermarks = new LongLongMap(1024);
 * long previous = watermarks.get(key, 0);
 * watermarks.put(key, Math.max(previous, seq));
 * }</pre>
 */
public final class LongLongMap {

    private long[] keys;
    private long[] values;
    private boolean[] used;
    private int size;
    private int mask;

    public LongLongMap(int expected) {
        int capacity = Hashing.capacityFor(expected);
        keys = new long[capacity];
        values = new long[capacity];
        used = new boolean[capacity];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or {@code missing} when it has none. */
    public long get(long key, long missing) {
        int slot = Hashing.mix(key) & mask;
        while (used[slot]) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return missing;
    }

    public boolean containsKey(long key) {
        int slot = Hashing.mix(key) & mask;
        while (used[slot]) {
            if (keys[slot] == key) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    public void put(long key, long value) {
        int slot = Hashing.mix(key) & mask;
        while (used[slot]) {
            if (keys[slot] == key) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        used[slot] = true;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        values = new long[oldValues.length * 2];
        used = new boolean[oldUsed.length * 2];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int slot = Hashing.mix(oldKeys[i]) & mask;
                while (used[slot]) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                used[slot] = true;
            }
        }
    }

    /** Removes every entry, keeping the capacity. */
    public void clear() {
        Arrays.fill(used, false);
        size = 0;
    }
}
