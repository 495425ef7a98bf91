package dev.chatlab.checker.collect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Packs up to 16 bytes into two longs, byte i at bits 8i (little-endian), the rest zero: short
 * keys are then compared and hashed as two longs, wherever their bytes lie.
 */
final class PackedBytes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedBytes() {
    }

    /** Bytes 0-7 of {@code b[from, from + length)}, length at most 16. */
    static long low(byte[] b, int from, int length) {
        if (length >= 8) {
            return from + 8 <= b.length ? (long) LONGS.get(b, from) : slow(b, from, 8);
        }
        return length == 0 ? 0 : from + 8 <= b.length ? (long) LONGS.get(b, from) & mask(length) : slow(b, from, length);
    }

    /** Bytes 8-15 of {@code b[from, from + length)}, length at most 16. */
    static long high(byte[] b, int from, int length) {
        if (length <= 8) {
            return 0;
        }
        int rest = length - 8;
        return from + 16 <= b.length ? (long) LONGS.get(b, from + 8) & mask(rest) : slow(b, from + 8, rest);
    }

    /** Ones in the low {@code bytes} bytes, 1 to 8. */
    private static long mask(int bytes) {
        return bytes == 8 ? -1L : (1L << (bytes * 8)) - 1;
    }

    private static long slow(byte[] b, int from, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (long) (b[from + i] & 0xff) << (i * 8);
        }
        return value;
    }
}
