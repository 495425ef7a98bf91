package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * An open-addressing map from an (int, long) pair to a non-negative int: which message a chat's
 * {@code seq} names. A plain packed long cannot hold a chat id and a 64-bit seq together.
 *
 * <pre>{@code
 * IntLongIndex owners = new IntLongIndex(1024);
 * owners.putIfAbsent(chat, seq, message);
 * int owner = owners.get(chat, seq); // IntLongIndex.MISSING when no message has that seq
 * }</pre>
 */
public final class IntLongIndex {

    public static final int MISSING = -1;

    private int[] firsts;
    private long[] seconds;
    private int[] values;
    private int size;
    private int mask;

    public IntLongIndex(int expected) {
        int capacity = Hashing.capacityFor(expected);
        firsts = new int[capacity];
        seconds = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, MISSING);
        mask = capacity - 1;
    }

    public int size() {
        return size;
    }

    public int get(int first, long second) {
        int slot = hash(first, second) & mask;
        while (true) {
            int value = values[slot];
            if (value == MISSING) {
                return MISSING;
            }
            if (firsts[slot] == first && seconds[slot] == second) {
                return value;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Stores the value unless the pair already has one; returns the value now held. */
    public int putIfAbsent(int first, long second, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("values must be non-negative: " + value);
        }
        int slot = hash(first, second) & mask;
        while (values[slot] != MISSING) {
            if (firsts[slot] == first && seconds[slot] == second) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        firsts[slot] = first;
        seconds[slot] = second;
        values[slot] = value;
        if (++size * 2 > values.length) {
            grow();
        }
        return value;
    }

    private static int hash(int first, long second) {
        return Hashing.mix(second * 0x9E3779B97F4A7C15L + first);
    }

    private void grow() {
        int[] oldFirsts = firsts;
        long[] oldSeconds = seconds;
        int[] oldValues = values;
        firsts = new int[oldFirsts.length * 2];
        seconds = new long[oldSeconds.length * 2];
        values = new int[oldValues.length * 2];
        Arrays.fill(values, MISSING);
        mask = values.length - 1;
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != MISSING) {
                int slot = hash(oldFirsts[i], oldSeconds[i]) & mask;
                while (values[slot] != MISSING) {
                    slot = (slot + 1) & mask;
                }
                firsts[slot] = oldFirsts[i];
                seconds[slot] = oldSeconds[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
