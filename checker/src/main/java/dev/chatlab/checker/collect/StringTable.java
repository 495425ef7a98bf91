package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * Interns (prefix, string) pairs as dense ids 0, 1, 2, ...: users and chats (prefix 0), devices
 * (prefix = the user's id), messages (prefix = chat and sender packed). The id then indexes plain
 * arrays, so that each event costs one string hash instead of several boxed map look-ups.
 *
 * <pre>{@code
 * StringTable users = new StringTable(1024);
 * int alice = users.intern(0, "alice");     // 0
 * int again = users.find(0, "alice");       // 0
 * String name = users.name(alice);          // "alice"
 * }</pre>
 */
public final class StringTable {

    private static final int EMPTY = -1;

    private int[] slots;
    private int mask;
    private long[] prefixes;
    private String[] names;
    private int size;

    public StringTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        mask = capacity - 1;
        prefixes = new long[Math.max(expected, 16)];
        names = new String[Math.max(expected, 16)];
    }

    public int size() {
        return size;
    }

    /** The id of (prefix, name), or -1 when it was never interned. */
    public int find(long prefix, String name) {
        int slot = hash(prefix, name) & mask;
        while (true) {
            int id = slots[slot];
            if (id == EMPTY) {
                return -1;
            }
            if (prefixes[id] == prefix && names[id].equals(name)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id of (prefix, name), handing out the next id when it is new. */
    public int intern(long prefix, String name) {
        int slot = hash(prefix, name) & mask;
        while (true) {
            int id = slots[slot];
            if (id == EMPTY) {
                break;
            }
            if (prefixes[id] == prefix && names[id].equals(name)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == names.length) {
            names = Arrays.copyOf(names, id * 2);
            prefixes = Arrays.copyOf(prefixes, id * 2);
        }
        names[id] = name;
        prefixes[id] = prefix;
        slots[slot] = id;
        if (size * 2 > slots.length) {
            grow();
        }
        return id;
    }

    public String name(int id) {
        return names[id];
    }

    public long prefix(int id) {
        return prefixes[id];
    }

    private static int hash(long prefix, String name) {
        return Hashing.mix(prefix * 0x9E3779B97F4A7C15L + name.hashCode());
    }

    private void grow() {
        slots = new int[slots.length * 2];
        Arrays.fill(slots, EMPTY);
        mask = slots.length - 1;
        for (int id = 0; id < size; id++) {
            int slot = hash(prefixes[id], names[id]) & mask;
            while (slots[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id;
        }
    }
}
