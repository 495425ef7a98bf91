package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * Strings stored back to back in one growing char array, each behind its length. A table that
 * keeps its keys here compares a candidate key with one read of nearby memory, instead of
 * following a reference to a String object and another to its bytes.
 */
final class CharArena {

    private char[] chars = new char[1024];
    private int size;

    /** Appends {@code text} and returns where it starts. */
    int add(String text) {
        int length = text.length();
        ensure(2 + length);
        int at = size;
        chars[at] = (char) (length >>> 16);
        chars[at + 1] = (char) length;
        text.getChars(0, length, chars, at + 2);
        size += 2 + length;
        return at;
    }

    /** True when the string stored at {@code at} equals {@code text}. */
    boolean equalsAt(int at, String text) {
        int length = (chars[at] << 16) | chars[at + 1];
        if (length != text.length()) {
            return false;
        }
        int base = at + 2;
        for (int i = 0; i < length; i++) {
            if (chars[base + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Where the string after the one stored at {@code at} starts. */
    int next(int at) {
        return at + 2 + ((chars[at] << 16) | chars[at + 1]);
    }

    String stringAt(int at) {
        int length = (chars[at] << 16) | chars[at + 1];
        return new String(chars, at + 2, length);
    }

    private void ensure(int more) {
        if (size + more > chars.length) {
            long wanted = Math.max((long) chars.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("more than 2^31 characters of identifiers");
            }
            chars = Arrays.copyOf(chars, (int) wanted);
        }
    }
}
