package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * Interns (prefix, string) pairs as dense ids 0, 1, 2, ...: users and chats (prefix 0), messages
 * (prefix = chat and sender packed). The id then indexes plain arrays, so that each event costs
 * one look-up instead of several boxed map look-ups.
 *
 * <pre>{@code
 * StringTable users = new StringTable(1024);
 * int alice = users.intern(0, "alice");     // 0
 * int again = users.find(0, "alice");       // 0
 * String name = users.name(alice);          // "alice"
 * }</pre>
 *
 * <p>Speed: each slot holds the prefix, the key's hash, the id and where the key's characters
 * are kept ({@link CharArena}), so a look-up reads the slot and then the characters, without
 * following references; and the last key looked up is remembered, because consecutive events of
 * a history often name the same chat, sender and message (a fan-out delivers one message to many
 * devices in a row).
 */
public final class StringTable {

    private static final long EMPTY = -1L;

    /**
     * Five longs per slot: the prefix; (hash << 32 | id) or EMPTY; (length << 32 | the key's place
     * in the arena), the length only for a key kept in the slot as well; and for a key of 1 to 16
     * Latin-1 characters, those characters one byte each, so that finding it compares longs in
     * the slot instead of reading the arena.
     */
    private static final int SLOT = 5;
    private long[] slots;
    private int mask;
    private final CharArena arena = new CharArena();
    private int[] places;
    private long[] prefixes;
    private int size;

    private long lastPrefix = Long.MIN_VALUE;
    private String lastName;
    private int lastId = -1;

    public StringTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = emptySlots(capacity);
        mask = capacity - 1;
        places = new int[Math.max(expected, 16)];
        prefixes = new long[Math.max(expected, 16)];
    }

    private static long[] emptySlots(int capacity) {
        long[] slots = new long[capacity * SLOT];
        for (int i = 1; i < slots.length; i += SLOT) {
            slots[i] = EMPTY;
        }
        return slots;
    }

    /** The key packed by {@link #packProbe}: its length (0 when not packed) and characters 0-7 and 8-15. */
    private int probeLength;
    private long probeLow;
    private long probeHigh;

    private void packProbe(String name) {
        int length = name.length();
        probeLength = 0;
        probeLow = 0;
        probeHigh = 0;
        if (length == 0 || length > 16) {
            return;
        }
        long low = 0;
        long high = 0;
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c > 0xff) {
                return;
            }
            if (i < 8) {
                low |= (long) c << (i * 8);
            } else {
                high |= (long) c << ((i - 8) * 8);
            }
        }
        probeLength = length;
        probeLow = low;
        probeHigh = high;
    }

    /** True when the slot at {@code at} holds the probe packed last, or (not packed) {@code name}. */
    private boolean holds(int at, int hash, long prefix, String name) {
        long entry = slots[at + 1];
        if ((int) (entry >>> 32) != hash || slots[at] != prefix) {
            return false;
        }
        long placed = slots[at + 2];
        int length = (int) (placed >>> 32);
        if (probeLength != 0) {
            return length == probeLength && slots[at + 3] == probeLow && slots[at + 4] == probeHigh;
        }
        return length == 0 && arena.equalsAt((int) placed, name);
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
        packProbe(name);
        int slot = hash & mask;
        while (true) {
            long entry = slots[slot * SLOT + 1];
            if (entry == EMPTY) {
                return -1;
            }
            if (holds(slot * SLOT, hash, prefix, name)) {
                return remember(prefix, name, (int) entry);
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
        packProbe(name);
        int slot = hash & mask;
        while (true) {
            long entry = slots[slot * SLOT + 1];
            if (entry == EMPTY) {
                break;
            }
            if (holds(slot * SLOT, hash, prefix, name)) {
                return remember(prefix, name, (int) entry);
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == places.length) {
            places = Arrays.copyOf(places, id * 2);
            prefixes = Arrays.copyOf(prefixes, id * 2);
        }
        int place = arena.add(name);
        places[id] = place;
        prefixes[id] = prefix;
        int at = slot * SLOT;
        slots[at] = prefix;
        slots[at + 1] = ((long) hash << 32) | id;
        slots[at + 2] = ((long) probeLength << 32) | place;
        slots[at + 3] = probeLow;
        slots[at + 4] = probeHigh;
        if (size * 2 > mask + 1) {
            grow();
        }
        return remember(prefix, name, id);
    }

    private int remember(long prefix, String name, int id) {
        lastPrefix = prefix;
        lastName = name;
        lastId = id;
        return id;
    }

    /** The interned string (a new String each call: for reports, not for the hot path). */
    public String name(int id) {
        return arena.stringAt(places[id]);
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
        slots = emptySlots(capacity);
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += SLOT) {
            long entry = old[i + 1];
            if (entry == EMPTY) {
                continue;
            }
            int slot = (int) (entry >>> 32) & mask;
            while (slots[slot * SLOT + 1] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(old, i, slots, slot * SLOT, SLOT);
        }
    }
}
