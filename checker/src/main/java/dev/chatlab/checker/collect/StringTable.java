package dev.chatlab.checker.collect;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns (prefix, string) pairs as dense ids 0, 1, 2, ...: users and chats (prefix 0), messages
 * (prefix = chat and sender packed). The id then indexes plain arrays, so that each event costs
 * one look-up instead of several boxed map look-ups. Strings are given as their UTF-8 bytes,
 * wherever they lie (a reader's buffer), so that finding one needs no String.
 *
 * <pre>{@code
 * StringTable users = new StringTable(1024);
 * int alice = users.intern(0, "alice");                 // 0
 * int again = users.find(0, bytes, from, length);       // 0 if those bytes are "alice"
 * String name = users.name(alice);                      // "alice"
 * }</pre>
 *
 * <p>Speed: each slot holds the prefix, the key's hash and id, and a key of up to 16 bytes
 * itself, so a look-up reads one slot without following references (a longer key is compared
 * in a {@link ByteArena}); and the last key looked up is remembered, because consecutive events
 * of a history often name the same chat, sender and message (a fan-out delivers one message to
 * many devices in a row).
 */
public final class StringTable {

    /**
     * Five longs per slot: the prefix; (hash << 32 | id) complemented, so that the zeros of a new
     * array are empty slots without a pass to mark them (an id is never -1); (length << 32 | the
     * key's place in the arena), the length only for a key kept in the slot as well; and for a key
     * of 1 to 16 bytes, those bytes (see {@link PackedBytes}).
     */
    private static final int SLOT = 5;
    private long[] slots;
    private int mask;
    private final ByteArena arena = new ByteArena();
    private int[] places;
    private long[] prefixes;
    private int size;

    /** The key looked up last, packed (length 0: none, or not packed). */
    private long lastPrefix;
    private int lastLength;
    private long lastLow;
    private long lastHigh;
    private int lastId = -1;
    /** The key of a look-up by bytes alone. */
    private final PackedKey scratch = new PackedKey();

    public StringTable(int expected) {
        int capacity = Hashing.capacityFor(expected);
        slots = new long[capacity * SLOT];
        mask = capacity - 1;
        places = new int[Math.max(expected, 16)];
        prefixes = new long[Math.max(expected, 16)];
    }

    public int size() {
        return size;
    }

    /** The id of (prefix, name), or -1 when it was never interned. */
    public int find(long prefix, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return find(prefix, b, 0, b.length);
    }

    /** The id of (prefix, the UTF-8 string {@code b[from, from + length)}), or -1 when it was never interned. */
    public int find(long prefix, byte[] b, int from, int length) {
        return lookUp(prefix, b, from, length, false);
    }

    /** The id of (prefix, name), handing out the next id when it is new. */
    public int intern(long prefix, String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return intern(prefix, b, 0, b.length);
    }

    /** The id of (prefix, the UTF-8 string {@code b[from, from + length)}), handing out the next id when it is new. */
    public int intern(long prefix, byte[] b, int from, int length) {
        return lookUp(prefix, b, from, length, true);
    }

    /**
     * Packs and hashes (prefix, the UTF-8 string {@code b[from, from + length)}) into {@code key},
     * for {@link #place(PackedKey)} and {@link #intern(PackedKey, long, byte[], int, int)}.
     */
    public void pack(PackedKey key, long prefix, byte[] b, int from, int length) {
        boolean packed = length > 0 && length <= 16;
        key.low = packed ? PackedBytes.low(b, from, length) : 0;
        key.high = packed ? PackedBytes.high(b, from, length) : 0;
        key.hash = hash(prefix, b, from, length, packed, key.low, key.high);
    }

    /**
     * Where in the table a packed key is looked for first: a place for {@link #read}, valid until
     * the table next changes. A batch of keys is placed first and then read in a tight loop, so
     * that their cache misses overlap.
     */
    public int place(PackedKey key) {
        return (key.hash & mask) * SLOT + 1;
    }

    /** {@link #intern(long, byte[], int, int)} of a key that {@link #pack} packed from the same arguments. */
    public int intern(PackedKey key, long prefix, byte[] b, int from, int length) {
        return lookUp(prefix, b, from, length, true, key.low, key.high, key.hash);
    }

    /** What the table holds at a place from {@link #place}: a hint that it is wanted soon. */
    public long read(int place) {
        return slots[place];
    }

    private static int hash(long prefix, byte[] b, int from, int length, boolean packed, long low, long high) {
        return packed ? Hashing.mix(((prefix * 0x9E3779B97F4A7C15L + low) * 0xC2B2AE3D27D4EB4FL + high) * 31 + length)
                : Hashing.mix(prefix * 0x9E3779B97F4A7C15L + Hashing.bytes(b, from, length));
    }

    private int lookUp(long prefix, byte[] b, int from, int length, boolean add) {
        pack(scratch, prefix, b, from, length);
        return lookUp(prefix, b, from, length, add, scratch.low, scratch.high, scratch.hash);
    }

    /** The look-up of a key whose packed bytes and hash are known. */

    private int lookUp(long prefix, byte[] b, int from, int length, boolean add, long low, long high, int hash) {
        boolean packed = length > 0 && length <= 16;
        if (packed && length == lastLength && low == lastLow && high == lastHigh && prefix == lastPrefix) {
            return lastId;
        }
        int packedLength = packed ? length : 0;
        int slot = hash & mask;
        while (true) {
            int at = slot * SLOT;
            long entry = ~slots[at + 1];
            if (entry == -1L) {
                break;
            }
            if ((int) (entry >>> 32) == hash && slots[at] == prefix) {
                long placed = slots[at + 2];
                int slotLength = (int) (placed >>> 32);
                boolean same = packed
                        ? slotLength == length && slots[at + 3] == low && slots[at + 4] == high
                        : slotLength == 0 && arena.equalsAt((int) placed, b, from, length);
                if (same) {
                    return remember(prefix, packedLength, low, high, (int) entry);
                }
            }
            slot = (slot + 1) & mask;
        }
        return add ? add(slot, prefix, b, from, length, packedLength, low, high, hash) : -1;
    }

    /**
     * Stores a new key in the free slot its look-up ended on: apart from the look-up, whose common
     * path stays small enough for the compiler to inline where it is called.
     */
    private int add(int slot, long prefix, byte[] b, int from, int length, int packedLength, long low, long high, int hash) {
        int id = size++;
        if (id == places.length) {
            places = Arrays.copyOf(places, id * 2);
            prefixes = Arrays.copyOf(prefixes, id * 2);
        }
        int place = arena.add(b, from, length);
        places[id] = place;
        prefixes[id] = prefix;
        int at = slot * SLOT;
        slots[at] = prefix;
        slots[at + 1] = ~(((long) hash << 32) | id);
        slots[at + 2] = ((long) packedLength << 32) | place;
        slots[at + 3] = low;
        slots[at + 4] = high;
        if (size * 2 > mask + 1) {
            grow();
        }
        return remember(prefix, packedLength, low, high, id);
    }

    private int remember(long prefix, int packedLength, long low, long high, int id) {
        lastPrefix = prefix;
        lastLength = packedLength;
        lastLow = low;
        lastHigh = high;
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

    private void grow() {
        int capacity = (mask + 1) * 2;
        long[] old = slots;
        slots = new long[capacity * SLOT];
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += SLOT) {
            long entry = ~old[i + 1];
            if (entry == -1L) {
                continue;
            }
            int slot = (int) (entry >>> 32) & mask;
            while (slots[slot * SLOT + 1] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(old, i, slots, slot * SLOT, SLOT);
        }
    }
}
