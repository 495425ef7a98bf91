package dev.chatlab.scenarios.coarse;

/**
 * A FIFO of longs in a growable ring: the queues of the coarse model. Adding allocates only when
 * the ring doubles.
 */
final class LongRing {

    private long[] items;
    private int head;
    private int size;

    LongRing(int capacity) {
        items = new long[Integer.highestOneBit(Math.max(2, capacity - 1)) << 1];
    }

    void add(long value) {
        if (size == items.length) {
            long[] grown = new long[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) & (items.length - 1)];
            }
            items = grown;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    long poll() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        long value = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return value;
    }

    int size() {
        return size;
    }
}
