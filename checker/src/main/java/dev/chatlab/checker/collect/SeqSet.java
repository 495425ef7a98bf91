package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * A set of positive longs that mostly arrive in increasing order (the seqs one device delivered in
 * one chat), stored as variable-length deltas: one or two bytes per value for counter seqs, a few
 * for clock-based ones, instead of eight. Every {@value #STRIDE}th value is also kept whole, so a
 * look-up is a binary search plus at most {@value #STRIDE} decoded deltas. Values that arrive out
 * of order (rare: already a violation of per-device-order) are kept apart in a plain list. Arrays
 * are allocated only as they are needed, so a set of one value costs no array at all.
 *
 * <pre>{@code
 * SeqSet delivered = new SeqSet();
 * delivered.add(7);
 * delivered.add(9);
 * delivered.contains(7); // true
 * }</pre>
 *
 * <p>Not final: a row that owns one set may extend it, so that the set's fields sit in the row's
 * own object and reading them costs no extra cache miss.
 */
public class SeqSet {

    private static final int STRIDE = 16;

    private long first;
    private long last;
    private int count;
    /** Deltas of every value after the first that is not a checkpoint, in order. */
    private int bytes;
    /**
     * The first {@value #INLINE} bytes of deltas live in two fields of the set itself: a set of a
     * dozen values then needs no array, and adding to it touches no other object.
     */
    private static final int INLINE = 16;
    private long inlineLow;
    private long inlineHigh;
    /** The bytes of deltas after the first {@value #INLINE}, or null. */
    private byte[] deltas;
    /** For each block k >= 1 (values k*STRIDE ...): its first value, whole, and where its deltas start. */
    private long[] checkpoints;
    private int[] offsets;
    private long[] outOfOrder;
    private int outOfOrderCount;

    /** Adds a positive value (a value already present changes nothing). */
    public void add(long value) {
        if (count == 0) {
            first = value;
        } else if (value <= last) {
            if (value != last && !contains(value)) {
                if (outOfOrder == null) {
                    outOfOrder = new long[2];
                } else if (outOfOrderCount == outOfOrder.length) {
                    outOfOrder = Arrays.copyOf(outOfOrder, outOfOrderCount * 2);
                }
                outOfOrder[outOfOrderCount++] = value;
            }
            return;
        } else if (count % STRIDE == 0) {
            int k = count / STRIDE - 1;
            if (checkpoints == null) {
                checkpoints = new long[2];
                offsets = new int[2];
            } else if (k == checkpoints.length) {
                checkpoints = Arrays.copyOf(checkpoints, k * 2);
                offsets = Arrays.copyOf(offsets, k * 2);
            }
            checkpoints[k] = value;
            offsets[k] = bytes;
        } else {
            writeDelta(value - last);
        }
        last = value;
        count++;
    }

    public boolean contains(long value) {
        if (count > 0 && value <= last && value >= first) {
            if (value == last || value == first) {
                return true;
            }
            int blocks = (count - 1) / STRIDE;
            int block = 0;
            long start = first;
            int at = 0;
            if (blocks > 0) {
                int k = Arrays.binarySearch(checkpoints, 0, blocks, value);
                if (k >= 0) {
                    return true;
                }
                int before = -k - 2;
                if (before >= 0) {
                    block = before + 1;
                    start = checkpoints[before];
                    at = offsets[before];
                }
            }
            if (scan(start, at, Math.min(STRIDE, count - block * STRIDE) - 1, value)) {
                return true;
            }
        }
        for (int i = 0; i < outOfOrderCount; i++) {
            if (outOfOrder[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Decodes up to {@code n} deltas from {@code at}, starting from {@code current}, looking for {@code value}. */
    private boolean scan(long current, int at, int n, long value) {
        for (int i = 0; i < n && current < value; i++) {
            long delta = 0;
            int shift = 0;
            byte b;
            do {
                b = byteAt(at++);
                delta |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            current += delta;
            if (current == value) {
                return true;
            }
        }
        return false;
    }

    /** The largest value added in order, 0 when empty. */
    public long last() {
        return count == 0 ? 0 : last;
    }

    private void writeDelta(long delta) {
        long rest = delta;
        while ((rest & ~0x7fL) != 0) {
            put((byte) ((rest & 0x7f) | 0x80));
            rest >>>= 7;
        }
        put((byte) rest);
    }

    private void put(byte b) {
        int at = bytes++;
        if (at < 8) {
            inlineLow |= (b & 0xffL) << (at * 8);
        } else if (at < INLINE) {
            inlineHigh |= (b & 0xffL) << ((at - 8) * 8);
        } else {
            int i = at - INLINE;
            if (deltas == null) {
                deltas = new byte[16];
            } else if (i == deltas.length) {
                deltas = Arrays.copyOf(deltas, deltas.length * 2);
            }
            deltas[i] = b;
        }
    }

    private byte byteAt(int at) {
        if (at < 8) {
            return (byte) (inlineLow >>> (at * 8));
        }
        if (at < INLINE) {
            return (byte) (inlineHigh >>> ((at - 8) * 8));
        }
        return deltas[at - INLINE];
    }
}
