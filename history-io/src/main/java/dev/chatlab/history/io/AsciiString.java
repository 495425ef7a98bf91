package dev.chatlab.history.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds where a JSON string of a history line ends, for the parsers that read lines straight
 * from their bytes: only strings of printable ASCII without escapes are theirs, anything else
 * is left to the text parser, which decodes it.
 */
final class AsciiString {

    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private AsciiString() {
    }

    /**
     * The index of the closing quote of a string of printable ASCII without escapes whose first
     * byte is at {@code p}; or -1. A control byte stops the scan, so a line's end or the zero
     * after a buffer's data ends it with -1.
     */
    static int closingQuote(byte[] buffer, int p) {
        // Eight bytes at a time: the first byte that is a quote, a backslash, a control byte
        // (the line's end, the zero after the data) or not ASCII stops the scan.
        while (p + 8 <= buffer.length) {
            long w = (long) LONGS.get(buffer, p);
            long quote = w ^ 0x2222222222222222L;
            long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long stops = ((quote - 0x0101010101010101L) & ~quote)
                    | ((backslash - 0x0101010101010101L) & ~backslash)
                    | ((w - 0x2020202020202020L) & ~w)
                    | w;
            stops &= 0x8080808080808080L;
            if (stops != 0) {
                int at = p + (Long.numberOfTrailingZeros(stops) >>> 3);
                return buffer[at] == '"' ? at : -1;
            }
            p += 8;
        }
        while (true) {
            byte c = buffer[p];
            if (c == '"') {
                return p;
            }
            if (c < 0x20 || c == '\\') {
                // Control bytes (the line's end among them), escapes and non-ASCII (negative) go the slow way.
                return -1;
            }
            p++;
        }
    }
}
