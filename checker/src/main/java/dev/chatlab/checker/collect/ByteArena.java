package dev.chatlab.checker.collect;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte strings stored back to back in one growing array, each behind its length. A table that
 * keeps its long keys here compares a candidate key with one read of nearby memory, instead of
 * following a reference to an object and another to its bytes.
 */
final class ByteArena {

    private byte[] bytes = new byte[1024];
    private int size;

    /** Appends {@code b[from, from + length)} and returns where it starts. */
    int add(byte[] b, int from, int length) {
        ensure(4 + length);
        int at = size;
        bytes[at] = (byte) (length >>> 24);
        bytes[at + 1] = (byte) (length >>> 16);
        bytes[at + 2] = (byte) (length >>> 8);
        bytes[at + 3] = (byte) length;
        System.arraycopy(b, from, bytes, at + 4, length);
        size += 4 + length;
        return at;
    }

    private int lengthAt(int at) {
        return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | (bytes[at + 3] & 0xff);
    }

    /** True when the bytes stored at {@code at} equal {@code b[from, from + length)}. */
    boolean equalsAt(int at, byte[] b, int from, int length) {
        return lengthAt(at) == length && Arrays.equals(bytes, at + 4, at + 4 + length, b, from, from + length);
    }

    /** Where the bytes after the ones stored at {@code at} start. */
    int next(int at) {
        return at + 4 + lengthAt(at);
    }

    /** The bytes stored at {@code at}, decoded as UTF-8. */
    String stringAt(int at) {
        return new String(bytes, at + 4, lengthAt(at), StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("more than 2^31 bytes of identifiers");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
