package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * Interns pairs of strings as dense ids 0, 1, 2, ...: a device is (user, device name), found in
 * one look-up instead of one for the user and another for the device. Each slot keeps the pair's
 * hash, its id and where its characters are kept ({@link CharArena}), so a look-up reads the
 * slot and then the characters; the last pair looked up is remembered.
 *
 * <pre>{@code
 * StringPairTable devices = new StringPairTable(1024);
 * int phone = devices.intern("alice", "phone");
 * boolean isNew = devices.size() == phone + 1;
 * if (isNew) devices.attach(alice);            // an int kept in the pair's slot
 * int user = devices.attachment();             // of the pair interned last: no second look-up
 * }</pre>
 */
public final class StringPairTable {

    private static final long EMPTY = -1L;

    /**
     * Four longs per slot: (hash << 32 | id) or EMPTY; (attachment << 32 | the pair's place in the
     * arena); and, for a short pair of Latin-1 strings, the pair itself (see {@link #packProbe}), so
     * that finding it compares two longs in the slot instead of reading the arena.
     */
    private static final int SLOT = 4;
    private long[] slots;
    private int mask;
    private final CharArena arena = new CharArena();
    private int[] places;
    private int size;

    private String lastFirst;
    private String lastSecond;
    private int lastId = -1;
    private int lastSlot = -1;
    private int lastAttachment;

    public StringPairTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = emptySlots(capacity);
        mask = capacity - 1;
        places = new int[Math.max(expected, 16)];
    }

    private static long[] emptySlots(int capacity) {
        long[] slots = new long[capacity * SLOT];
        for (int i = 0; i < slots.length; i += SLOT) {
            slots[i] = EMPTY;
        }
        return slots;
    }

    /** The probe packed by {@link #packProbe}: characters 0-7, then 8-14 and the lengths. */
    private long probeLow;
    private long probeHigh;

    /**
     * Packs a pair of Latin-1 strings of 1 to 15 characters together into {@link #probeLow} and
     * {@link #probeHigh}: the characters one byte each, then the lengths (first << 4 | second)
     * in the top byte, which is never 0 for a packed pair. Returns false (both 0) otherwise.
     */
    private boolean packProbe(String first, String second) {
        int lengthFirst = first.length();
        int lengthSecond = second.length();
        int total = lengthFirst + lengthSecond;
        probeLow = 0;
        probeHigh = 0;
        if (total == 0 || total > 15) {
            return false;
        }
        long low = 0;
        long high = 0;
        for (int i = 0; i < total; i++) {
            char c = i < lengthFirst ? first.charAt(i) : second.charAt(i - lengthFirst);
            if (c > 0xff) {
                return false;
            }
            if (i < 8) {
                low |= (long) c << (i * 8);
            } else {
                high |= (long) c << ((i - 8) * 8);
            }
        }
        probeLow = low;
        probeHigh = high | ((long) (lengthFirst << 4 | lengthSecond) << 56);
        return true;
    }

    public int size() {
        return size;
    }

    /** The id of the pair, handing out the next id when it is new. */
    public int intern(String first, String second) {
        if (first.equals(lastFirst) && second.equals(lastSecond)) {
            // lastAttachment still belongs to this pair.
            return lastId;
        }
        int hash = Hashing.mix(first.hashCode() * 0x9E3779B97F4A7C15L + second.hashCode());
        boolean packed = packProbe(first, second);
        int slot = hash & mask;
        while (true) {
            int at = slot * SLOT;
            long entry = slots[at];
            if (entry == EMPTY) {
                break;
            }
            if ((int) (entry >>> 32) == hash && (packed
                    ? slots[at + 2] == probeLow && slots[at + 3] == probeHigh
                    : slots[at + 3] == 0 && equalsInArena((int) slots[at + 1], first, second))) {
                lastSlot = slot;
                lastAttachment = (int) (slots[at + 1] >>> 32);
                return remember(first, second, (int) entry);
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == places.length) {
            places = Arrays.copyOf(places, id * 2);
        }
        int place = arena.add(first);
        arena.add(second);
        places[id] = place;
        slots[slot * SLOT] = ((long) hash << 32) | id;
        slots[slot * SLOT + 1] = place & 0xffffffffL;
        slots[slot * SLOT + 2] = probeLow;
        slots[slot * SLOT + 3] = probeHigh;
        lastSlot = slot;
        lastAttachment = 0;
        if (size * 2 > mask + 1) {
            grow(id);
        }
        return remember(first, second, id);
    }

    /** The int attached to the pair {@link #intern} returned last (0 until one is attached). */
    public int attachment() {
        return lastAttachment;
    }

    /** Attaches an int to the pair {@link #intern} returned last, kept in its slot. */
    public void attach(int value) {
        if (lastSlot < 0) {
            throw new IllegalStateException("attach follows intern");
        }
        slots[lastSlot * SLOT + 1] = ((long) value << 32) | (slots[lastSlot * SLOT + 1] & 0xffffffffL);
        lastAttachment = value;
    }

    private int remember(String first, String second, int id) {
        lastFirst = first;
        lastSecond = second;
        lastId = id;
        return id;
    }

    private boolean equalsInArena(int place, String first, String second) {
        return arena.equalsAt(place, first) && arena.equalsAt(arena.next(place), second);
    }

    /** The first string of the pair (a new String each call: for reports). */
    public String first(int id) {
        return arena.stringAt(places[id]);
    }

    /** The second string of the pair (a new String each call: for reports). */
    public String second(int id) {
        return arena.stringAt(arena.next(places[id]));
    }

    /** Doubles the slots; {@code lastSlot} follows the entry with id {@code current}. */
    private void grow(int current) {
        long[] old = slots;
        int capacity = (mask + 1) * 2;
        slots = emptySlots(capacity);
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += SLOT) {
            long entry = old[i];
            if (entry == EMPTY) {
                continue;
            }
            int slot = (int) (entry >>> 32) & mask;
            while (slots[slot * SLOT] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(old, i, slots, slot * SLOT, SLOT);
            if ((int) entry == current) {
                lastSlot = slot;
            }
        }
    }
}
