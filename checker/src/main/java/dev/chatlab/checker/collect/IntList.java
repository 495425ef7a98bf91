package dev.chatlab.checker.collect;

import java.util.Arrays;

/**
 * A growable list of ints; also serves as a column indexed by dense ids ({@link #setAt} grows it).
 *
 * <pre>{@code
 * IntList devices = new IntList();
 * devices.add(7);
 * int first = devices.get(0);
 * }</pre>
 */
public final class IntList {

    private int[] values;
    private int size;

    public IntList() {
        this(8);
    }

    public IntList(int capacity) {
        values = new int[Math.max(capacity, 1)];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return values[index];
    }

    /** The value at {@code index}, or {@code missing} when the list is shorter. */
    public int getOr(int index, int missing) {
        return index < size ? values[index] : missing;
    }

    public void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    /** Sets {@code index}, growing the list (new cells hold {@code fill}) when it is shorter. */
    public void setAt(int index, int value, int fill) {
        if (index >= size) {
            if (index >= values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, index + 1));
            }
            Arrays.fill(values, size, index, fill);
            size = index + 1;
        }
        values[index] = value;
    }

    public void set(int index, int value) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        values[index] = value;
    }

    /** Inserts {@code value} at {@code index}, shifting the tail right. */
    public void insert(int index, int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        System.arraycopy(values, index, values, index + 1, size - index);
        values[index] = value;
        size++;
    }

    public boolean contains(int value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Removes the first occurrence of {@code value} (order is not kept); true if it was there. */
    public boolean removeValue(int value) {
        for (int i = 0; i < size; i++) {
            if (values[i] == value) {
                values[i] = values[--size];
                return true;
            }
        }
        return false;
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
