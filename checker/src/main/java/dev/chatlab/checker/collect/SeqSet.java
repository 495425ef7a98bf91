package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * A set of positive longs that mostly arrive in increasing order (the seqs one device delivered in
 * one chat), stored as variable-length deltas: one or two bytes per value for counter seqs, a few
 * for clock-based ones, instead of eight. Every {@value #STRIDE}th value is also kept whole, so a
 * look-up is a binary search plus at most {@value #STRIDE} decoded deltas. Values that arrive out
 * of order (rare: already a violation of per-device-order) are kept apart in a plain list.
 *
 * <pre>{@code
 * SeqSet delivered = new SeqSet();
 * delivered.add(7);
 * delivered.add(9);
 * delivered.contains(7); // true
 * }</pre>
 */
public final class SeqSet {

    private static final int STRIDE = 16;
    private static final byte[] NO_BYTES = new byte[0];
    private static final long[] NO_LONGS = new long[0];

    private byte[] deltas = NO_BYTES;
    private int bytes;
    private int count;
    private long last;
    /** Every STRIDE-th value, whole, and where its successor's delta starts. */
    private long[] checkpoints = NO_LONGS;
    private int[] checkpointOffsets;
    private long[] outOfOrder;
    private int outOfOrderCount;

    /** Adds a positive value (a value already present changes nothing). */
    public void add(long value) {
        if (count > 0 && value <= last) {
            if (value != last && !contains(value)) {
                if (outOfOrder == null) {
                    outOfOrder = new long[2];
                } else if (outOfOrderCount == outOfOrder.length) {
                    outOfOrder = Arrays.copyOf(outOfOrder, outOfOrderCount * 2);
                }
                outOfOrder[outOfOrderCount++] = value;
            }
            return;
        }
        if (count % STRIDE == 0) {
            int k = count / STRIDE;
            if (k == checkpoints.length) {
                checkpoints = Arrays.copyOf(checkpoints, Math.max(1, k * 2));
                checkpointOffsets = checkpointOffsets == null ? new int[1] : Arrays.copyOf(checkpointOffsets, k * 2);
            }
            checkpoints[k] = value;
            checkpointOffsets[k] = bytes;
        } else {
            writeDelta(value - last);
        }
        last = value;
        count++;
    }

    public boolean contains(long value) {
        if (count > 0 && value == last) {
            return true;
        }
        if (count > 0 && value < last) {
            int k = Arrays.binarySearch(checkpoints, 0, (count + STRIDE - 1) / STRIDE, value);
            if (k >= 0) {
                return true;
            }
            int block = -k - 2;
            if (block >= 0) {
                long current = checkpoints[block];
                int at = checkpointOffsets[block];
                int inBlock = Math.min(STRIDE, count - block * STRIDE) - 1;
                for (int i = 0; i < inBlock && current < value; i++) {
                    long delta = 0;
                    int shift = 0;
                    byte b;
                    do {
                        b = deltas[at++];
                        delta |= (long) (b & 0x7f) << shift;
                        shift += 7;
                    } while (b < 0);
                    current += delta;
                    if (current == value) {
                        return true;
                    }
                }
            }
        }
        for (int i = 0; i < outOfOrderCount; i++) {
            if (outOfOrder[i] == value) {
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
        if (bytes + 10 > deltas.length) {
            deltas = Arrays.copyOf(deltas, Math.max(16, deltas.length * 2));
        }
        while ((delta & ~0x7fL) != 0) {
            deltas[bytes++] = (byte) ((delta & 0x7f) | 0x80);
            delta >>>= 7;
        }
        deltas[bytes++] = (byte) delta;
    }
}
