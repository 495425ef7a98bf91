package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * A growable list of longs; also serves as a column indexed by dense ids ({@link #setAt} grows it).
 *
 * <pre>{@code
 * LongList seqs = new LongList();
 * seqs.add(42);
 * int at = seqs.lowerBound(40); // 0: the first index whose value is >= 40
 * }</pre>
 */
public final class LongList {

    private long[] values;
    private int size;

    public LongList() {
        this(8);
    }

    public LongList(int capacity) {
        values = new long[Math.max(capacity, 1)];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public long get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return values[index];
    }

    /** The value at {@code index}, or {@code missing} when the list is shorter. */
    public long getOr(int index, long missing) {
        return index < size ? values[index] : missing;
    }

    public long last() {
        return values[size - 1];
    }

    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    /** Sets {@code index}, growing the list (new cells hold {@code fill}) when it is shorter. */
    public void setAt(int index, long value, long fill) {
        if (index >= size) {
            if (index >= values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, index + 1));
            }
            Arrays.fill(values, size, index, fill);
            size = index + 1;
        }
        values[index] = value;
    }

    public void set(int index, long value) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        values[index] = value;
    }

    /** Inserts {@code value} at {@code index}, shifting the tail right. */
    public void insert(int index, long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        System.arraycopy(values, index, values, index + 1, size - index);
        values[index] = value;
        size++;
    }

    /** In a list sorted ascending: the first index whose value is {@code >= key} (size if none). */
    public int lowerBound(long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** In a list sorted ascending: the first index whose value is {@code > key} (size if none). */
    public int upperBound(long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public void clear() {
        size = 0;
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
