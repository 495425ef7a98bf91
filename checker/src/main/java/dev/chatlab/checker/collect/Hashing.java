package dev.chatlab.checker.collect;

/** The bit mixing shared by the tables, so that packed keys with regular patterns spread well. */
final class Hashing {

    private Hashing() {
    }

    /** The finaliser of MurmurHash3's 64-bit variant: every input bit affects every output bit. */
    static int mix(long key) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** A hash of {@code b[from, from + length)}, for keys too long to be packed. */
    static int bytes(byte[] b, int from, int length) {
        int h = 1;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    /** The smallest power of two that holds {@code expected} entries at a load factor of one half. */
    static int capacityFor(int expected) {
        int capacity = 16;
        while (capacity < expected * 2) {
            capacity <<= 1;
        }
        return capacity;
    }
}
