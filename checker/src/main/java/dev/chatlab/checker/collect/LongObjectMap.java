package dev.chatlab.checker.collect;

/**
 * An open-addressing map from long keys to rows that carry their own key: a look-up probes the
 * key array and lands on the row itself, with no index into yet another array.
 *
 * <pre>{@code
 * LongObjectMap<Row> rows = new LongObjectMap<>(1024);   // Row implements LongObjectMap.Keyed
 * Row row = rows.get(LongIntMap.pack(device, chat));
 * if (row == null) { rows.put(row = new Row(key)); }
 * }</pre>
 *
 * @param <V> the row type
 */
public final class LongObjectMap<V extends LongObjectMap.Keyed> {

    /** A row that knows the key it is stored under. */
    public interface Keyed {
        long key();
    }

    /** The keys again, beside the rows, so that probing past other rows does not touch them. */
    private long[] keys;
    private Keyed[] values;
    private int size;
    private int mask;

    public LongObjectMap(int expected) {
        int capacity = Hashing.capacityFor(expected);
        keys = new long[capacity];
        values = new Keyed[capacity];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** Reads where {@code key} is looked for first: a hint that it is wanted soon; returns what it read. */
    public long touch(long key) {
        int slot = Hashing.mix(key) & mask;
        return keys[slot] + (values[slot] == null ? 0 : 1);
    }

    /** The row stored under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int slot = Hashing.mix(key) & mask;
        while (true) {
            Keyed value = values[slot];
            if (value == null || keys[slot] == key) {
                return (V) value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Stores a row under its own key, replacing a row with the same key. */
    public void put(V value) {
        long key = value.key();
        int slot = Hashing.mix(key) & mask;
        while (values[slot] != null) {
            if (keys[slot] == key) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        if (++size * 2 > values.length) {
            grow();
        }
    }

    private void grow() {
        Keyed[] old = values;
        long[] oldKeys = keys;
        values = new Keyed[old.length * 2];
        keys = new long[old.length * 2];
        mask = values.length - 1;
        for (int i = 0; i < old.length; i++) {
            if (old[i] != null) {
                int slot = Hashing.mix(oldKeys[i]) & mask;
                while (values[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = old[i];
            }
        }
    }
}
