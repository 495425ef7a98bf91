package dev.chatlab.checker.collect;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns pairs of strings as dense ids 0, 1, 2, ...: a device is (user, device name), found in
 * one look-up instead of one for the user and another for the device. Strings are given as their
 * UTF-8 bytes, wherever they lie. Each slot keeps the pair's hash, its id, an int attached to it
 * and a short pair itself, so a look-up reads one slot (a longer pair is compared in a {@link
 * ByteArena}); the last pair looked up is remembered.
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

    /**
     * Four longs per slot: (hash << 32 | id) complemented, so that the zeros of a new array are
     * empty slots without a pass to mark them (an id is never -1); (attachment << 32 | the pair's place in the
     * arena); and, for a short pair, the pair itself (see {@link #pack}), so that finding it
     * compares two longs in the slot instead of reading the arena.
     */
    private static final int SLOT = 4;
    private long[] slots;
    private int mask;
    private final ByteArena arena = new ByteArena();
    private int[] places;
    private int size;

    private long lastLow;
    private long lastHigh;
    private int lastId = -1;
    private int lastSlot = -1;
    private int lastAttachment;
    /** The key of a look-up by bytes alone. */
    private final PackedKey scratch = new PackedKey();

    public StringPairTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity * SLOT];
        mask = capacity - 1;
        places = new int[Math.max(expected, 16)];
    }

    /** The pair packed by {@link #pack}: bytes 0-7, then bytes 8-14 and the lengths. */
    private long packedLow;
    private long packedHigh;

    /**
     * Packs a pair of 1 to 15 bytes together into {@link #packedLow} and {@link #packedHigh}: the
     * bytes of both one after the other, then the lengths (first << 4 | second) in the top byte,
     * which is never 0 for a packed pair. Returns false (both 0) for a longer or empty pair.
     */
    private boolean pack(byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        int total = firstLength + secondLength;
        packedLow = 0;
        packedHigh = 0;
        if (total == 0 || total > 15) {
            return false;
        }
        long firstLow = PackedBytes.low(b, firstFrom, firstLength);
        long firstHigh = PackedBytes.high(b, firstFrom, firstLength);
        long secondLow = PackedBytes.low(b, secondFrom, secondLength);
        long secondHigh = PackedBytes.high(b, secondFrom, secondLength);
        // The second's bytes go right after the first's: a 128-bit shift by 8 * firstLength.
        long low;
        long high;
        if (firstLength == 0) {
            low = secondLow;
            high = secondHigh;
        } else if (firstLength < 8) {
            int shift = firstLength * 8;
            low = firstLow | secondLow << shift;
            high = secondLow >>> (64 - shift) | secondHigh << shift;
        } else {
            low = firstLow;
            high = firstHigh | secondLow << ((firstLength - 8) * 8);
        }
        packedLow = low;
        packedHigh = high | ((long) (firstLength << 4 | secondLength) << 56);
        return true;
    }

    public int size() {
        return size;
    }

    /** The id of the pair, handing out the next id when it is new. */
    public int intern(String first, String second) {
        byte[] a = first.getBytes(StandardCharsets.UTF_8);
        byte[] b = second.getBytes(StandardCharsets.UTF_8);
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return intern(both, 0, a.length, a.length, b.length);
    }

    /**
     * The id of the pair of UTF-8 strings {@code b[firstFrom, firstFrom + firstLength)} and
     * {@code b[secondFrom, secondFrom + secondLength)}, handing out the next id when it is new.
     */
    public int intern(byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        pack(scratch, b, firstFrom, firstLength, secondFrom, secondLength);
        return intern(scratch, b, firstFrom, firstLength, secondFrom, secondLength);
    }

    /**
     * Packs and hashes the pair into {@code key}, for {@link #place(PackedKey)} and {@link
     * #intern(PackedKey, byte[], int, int, int, int)}.
     */
    public void pack(PackedKey key, byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        boolean packed = pack(b, firstFrom, firstLength, secondFrom, secondLength);
        key.low = packedLow;
        key.high = packedHigh;
        key.hash = hash(packed, b, firstFrom, firstLength, secondFrom, secondLength);
    }

    /** {@link #intern(byte[], int, int, int, int)} of a pair that {@link #pack} packed from the same arguments. */
    public int intern(PackedKey key, byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        // A packed pair's top byte holds its lengths, never 0; a long pair packs to 0.
        boolean packed = key.high != 0;
        packedLow = key.low;
        packedHigh = key.high;
        if (packed && packedLow == lastLow && packedHigh == lastHigh) {
            // lastAttachment still belongs to this pair.
            return lastId;
        }
        return intern(packed, key.hash, b, firstFrom, firstLength, secondFrom, secondLength);
    }

    /** Looks up the pair that {@link #packedLow} and {@link #packedHigh} hold, with its hash. */
    private int intern(boolean packed, int hash, byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        int slot = hash & mask;
        while (true) {
            int at = slot * SLOT;
            long entry = ~slots[at];
            if (entry == -1L) {
                break;
            }
            if ((int) (entry >>> 32) == hash && (packed
                    ? slots[at + 2] == packedLow && slots[at + 3] == packedHigh
                    : slots[at + 3] == 0 && equalsInArena((int) slots[at + 1], b, firstFrom, firstLength, secondFrom, secondLength))) {
                lastSlot = slot;
                lastAttachment = (int) (slots[at + 1] >>> 32);
                return remember(packedLow, packedHigh, (int) entry);
            }
            slot = (slot + 1) & mask;
        }
        return add(slot, hash, b, firstFrom, firstLength, secondFrom, secondLength);
    }

    /**
     * Stores the new pair {@link #packedLow} and {@link #packedHigh} hold in the free slot its
     * look-up ended on: apart from the look-up, whose common path stays small enough to inline.
     */
    private int add(int slot, int hash, byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        int id = size++;
        if (id == places.length) {
            places = Arrays.copyOf(places, id * 2);
        }
        int place = arena.add(b, firstFrom, firstLength);
        arena.add(b, secondFrom, secondLength);
        places[id] = place;
        slots[slot * SLOT] = ~(((long) hash << 32) | id);
        slots[slot * SLOT + 1] = place & 0xffffffffL;
        slots[slot * SLOT + 2] = packedLow;
        slots[slot * SLOT + 3] = packedHigh;
        lastSlot = slot;
        lastAttachment = 0;
        if (size * 2 > mask + 1) {
            grow(id);
        }
        return remember(packedLow, packedHigh, id);
    }

    private int hash(boolean packed, byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        return packed ? Hashing.mix(packedLow * 0x9E3779B97F4A7C15L + packedHigh)
                : Hashing.mix(Hashing.bytes(b, firstFrom, firstLength) * 0x9E3779B97F4A7C15L
                        + Hashing.bytes(b, secondFrom, secondLength));
    }

    /**
     * Where in the table a packed pair is looked for first: a place for {@link #read}, valid until
     * the table next changes (see {@link StringTable#place}).
     */
    public int place(PackedKey key) {
        return (key.hash & mask) * SLOT;
    }

    /** What the table holds at a place from {@link #place}: a hint that it is wanted soon. */
    public long read(int place) {
        return slots[place];
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

    /** Remembers a packed pair (an unpacked one, high 0, is never taken for the last). */
    private int remember(long low, long high, int id) {
        lastLow = low;
        lastHigh = high;
        lastId = id;
        return id;
    }

    private boolean equalsInArena(int place, byte[] b, int firstFrom, int firstLength, int secondFrom, int secondLength) {
        return arena.equalsAt(place, b, firstFrom, firstLength) && arena.equalsAt(arena.next(place), b, secondFrom, secondLength);
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
        slots = new long[capacity * SLOT];
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += SLOT) {
            long entry = ~old[i];
            if (entry == -1L) {
                continue;
            }
            int slot = (int) (entry >>> 32) & mask;
            while (slots[slot * SLOT] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(old, i, slots, slot * SLOT, SLOT);
            if ((int) entry == current) {
                lastSlot = slot;
            }
        }
    }
}
