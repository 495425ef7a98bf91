package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * Interns pairs of strings as dense ids 0, 1, 2, ...: a device is (user, device name), found in
 * one look-up instead of one for the user and another for the device. Slots keep the pair's hash
 * beside the id, and the last pair looked up is remembered.
 *
 * <pre>{@code
 * StringPairTable devices = new StringPairTable(1024);
 * int phone = devices.intern("alice", "phone");
 * boolean isNew = devices.size() == phone + 1;
 * }</pre>
 */
public final class StringPairTable {

    private static final long EMPTY = -1L;

    private long[] slots;
    private int mask;
    private String[] firsts;
    private String[] seconds;
    private int size;

    private String lastFirst;
    private String lastSecond;
    private int lastId = -1;

    public StringPairTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
        mask = capacity - 1;
        firsts = new String[Math.max(expected, 16)];
        seconds = new String[Math.max(expected, 16)];
    }

    public int size() {
        return size;
    }

    /** The id of the pair, handing out the next id when it is new. */
    public int intern(String first, String second) {
        if (first.equals(lastFirst) && second.equals(lastSecond)) {
            return lastId;
        }
        int hash = Hashing.mix(first.hashCode() * 0x9E3779B97F4A7C15L + second.hashCode());
        int slot = hash & mask;
        while (true) {
            long entry = slots[slot];
            if (entry == EMPTY) {
                break;
            }
            int id = (int) entry;
            if ((int) (entry >>> 32) == hash && firsts[id].equals(first) && seconds[id].equals(second)) {
                return remember(first, second, id);
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == firsts.length) {
            firsts = Arrays.copyOf(firsts, id * 2);
            seconds = Arrays.copyOf(seconds, id * 2);
        }
        firsts[id] = first;
        seconds[id] = second;
        slots[slot] = ((long) hash << 32) | id;
        if (size * 2 > slots.length) {
            grow();
        }
        return remember(first, second, id);
    }

    private int remember(String first, String second, int id) {
        lastFirst = first;
        lastSecond = second;
        lastId = id;
        return id;
    }

    public String first(int id) {
        return firsts[id];
    }

    public String second(int id) {
        return seconds[id];
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        Arrays.fill(slots, EMPTY);
        mask = slots.length - 1;
        for (long entry : old) {
            if (entry == EMPTY) {
                continue;
            }
            int slot = (int) (entry >>> 32) & mask;
            while (slots[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = entry;
        }
    }
}
