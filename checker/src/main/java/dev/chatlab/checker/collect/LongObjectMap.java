package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to rows that carry their own key, so that a look-up
 * reads one slot and lands on the row itself: no separate key array, no index into another array.
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

    private Keyed[] values;
    private int size;
    private int mask;

    public LongObjectMap(int expected) {
        int capacity = Hashing.capacityFor(expected);
        values = new Keyed[capacity];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    /** The row stored under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int slot = Hashing.mix(key) & mask;
        while (true) {
            Keyed value = values[slot];
            if (value == null || value.key() == key) {
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
            if (values[slot].key() == key) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        values[slot] = value;
        if (++size * 2 > values.length) {
            grow();
        }
    }

    private void grow() {
        Keyed[] old = values;
        values = new Keyed[old.length * 2];
        mask = values.length - 1;
        for (Keyed value : old) {
            if (value != null) {
                int slot = Hashing.mix(value.key()) & mask;
                while (values[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                values[slot] = value;
            }
        }
        Arrays.fill(old, null);
    }
}
