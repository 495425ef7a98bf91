package dev.chatlab.checker.collect;

/**
 * An open-addressing map from an (int, long) pair to a non-negative int: which message a chat's
 * {@code seq} names. A plain packed long cannot hold a chat id and a 64-bit seq together. Each
 * slot is two adjacent longs (the seq, then the chat and value packed and complemented, so that
 * the zeros of a new array are empty slots: a value is never -1), so a probe reads one cache line.
 *
 * <pre>{@code
 * IntLongIndex owners = new IntLongIndex(1024);
 * owners.putIfAbsent(chat, seq, message);
 * int owner = owners.get(chat, seq); // IntLongIndex.MISSING when no message has that seq
 * }</pre>
 */
public final class IntLongIndex {

    public static final int MISSING = -1;

    private long[] slots;
    private int size;
    private int mask;

    public IntLongIndex(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity * 2];
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    public int get(int first, long second) {
        int slot = hash(first, second) & mask;
        while (true) {
            long packed = ~slots[slot * 2 + 1];
            if (packed == -1L) {
                return MISSING;
            }
            if (slots[slot * 2] == second && (int) (packed >>> 32) == first) {
                return (int) packed;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Where in the table the pair is looked for first (see {@link StringTable#place}). */
    public int place(int first, long second) {
        return (hash(first, second) & mask) * 2 + 1;
    }

    /** What the table holds at a place from {@link #place}: a hint that it is wanted soon. */
    public long read(int place) {
        return slots[place];
    }

    /** Stores the value unless the pair already has one; returns the value now held. */
    public int putIfAbsent(int first, long second, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative: " + value);
        }
        int slot = hash(first, second) & mask;
        while (true) {
            long packed = ~slots[slot * 2 + 1];
            if (packed == -1L) {
                break;
            }
            if (slots[slot * 2] == second && (int) (packed >>> 32) == first) {
                return (int) packed;
            }
            slot = (slot + 1) & mask;
        }
        slots[slot * 2] = second;
        slots[slot * 2 + 1] = ~(((long) first << 32) | value);
        if (++size * 2 > mask + 1) {
            grow();
        }
        return value;
    }

    private static int hash(int first, long second) {
        return Hashing.mix(second * 0x9E3779B97F4A7C15L + first);
    }

    private void grow() {
        long[] old = slots;
        int capacity = (mask + 1) * 2;
        slots = new long[capacity * 2];
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += 2) {
            long packed = ~old[i + 1];
            if (packed == -1L) {
                continue;
            }
            int slot = hash((int) (packed >>> 32), old[i]) & mask;
            while (slots[slot * 2 + 1] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot * 2] = old[i];
            slots[slot * 2 + 1] = old[i + 1];
        }
    }
}
