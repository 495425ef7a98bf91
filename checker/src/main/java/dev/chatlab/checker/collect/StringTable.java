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
 *
 * <p>Speed: each slot holds the prefix and the key's hash next to the id, so a probe reads one
 * cache line and only a matching hash costs a string comparison; and the last key looked up is
 * remembered, because consecutive events of a history name the same chat, sender and message
 * (a fan-out delivers one message to many devices in a row).
 */
public final class StringTable {

    private static final long EMPTY = -1L;

    /** Two longs per slot: the prefix, then (hash << 32 | id), or EMPTY. */
    private long[] slots;
    private int mask;
    private String[] names;
    private long[] prefixes;
    private int size;

    private long lastPrefix = Long.MIN_VALUE;
    private String lastName;
    private int lastId = -1;

    public StringTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity * 2];
        for (int i = 1; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
        mask = capacity - 1;
        prefixes = new long[Math.max(expected, 16)];
        names = new String[Math.max(expected, 16)];
    }

    public int size() {
        return size;
    }

    /** The id of (prefix, name), or -1 when it was never interned. */
    public int find(long prefix, String name) {
        if (prefix == lastPrefix && name.equals(lastName)) {
            return lastId;
        }
        int hash = hash(prefix, name);
        int slot = hash & mask;
        while (true) {
            long entry = slots[slot * 2 + 1];
            if (entry == EMPTY) {
                return -1;
            }
            int id = (int) entry;
            if ((int) (entry >>> 32) == hash && slots[slot * 2] == prefix && names[id].equals(name)) {
                remember(prefix, name, id);
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id of (prefix, name), handing out the next id when it is new. */
    public int intern(long prefix, String name) {
        if (prefix == lastPrefix && name.equals(lastName)) {
            return lastId;
        }
        int hash = hash(prefix, name);
        int slot = hash & mask;
        while (true) {
            long entry = slots[slot * 2 + 1];
            if (entry == EMPTY) {
                break;
            }
            int id = (int) entry;
            if ((int) (entry >>> 32) == hash && slots[slot * 2] == prefix && names[id].equals(name)) {
                remember(prefix, name, id);
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
        slots[slot * 2] = prefix;
        slots[slot * 2 + 1] = ((long) hash << 32) | id;
        if (size * 2 > mask + 1) {
            grow();
        }
        remember(prefix, name, id);
        return id;
    }

    private void remember(long prefix, String name, int id) {
        lastPrefix = prefix;
        lastName = name;
        lastId = id;
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
        int capacity = (mask + 1) * 2;
        long[] old = slots;
        slots = new long[capacity * 2];
        for (int i = 1; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += 2) {
            long entry = old[i + 1];
            if (entry == EMPTY) {
                continue;
            }
            int slot = (int) (entry >>> 32) & mask;
            while (slots[slot * 2 + 1] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            slots[slot * 2] = old[i];
            slots[slot * 2 + 1] = entry;
        }
    }
}
