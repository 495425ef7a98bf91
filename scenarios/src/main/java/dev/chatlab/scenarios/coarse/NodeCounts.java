package dev.chatlab.scenarios.coarse;

/**
 * Connections per server as counts, in a Fenwick tree so that drawing "the server of a random
 * connected device" and moving devices between servers both take O(log servers), with no
 * allocation: users exist only as these counts.
 *
 * <pre>{@code
 * NodeCounts c = new NodeCounts(3);
 * c.add(0, 10); c.add(2, 5);
 * int node = c.nodeOf(12);     // 2: devices 0..9 are on node 0, 10..14 on node 2
 * }</pre>
 */
final class NodeCounts {

    private final long[] tree;
    private final long[] counts;
    private final int mask;
    private long total;

    NodeCounts(int nodes) {
        counts = new long[nodes];
        tree = new long[nodes + 1];
        mask = Integer.highestOneBit(nodes);
    }

    void add(int node, long delta) {
        counts[node] += delta;
        total += delta;
        for (int i = node + 1; i < tree.length; i += i & -i) {
            tree[i] += delta;
        }
    }

    long get(int node) {
        return counts[node];
    }

    long total() {
        return total;
    }

    /** The node holding the {@code index}-th connected device, counting from 0 in node order; {@code index < total()}. */
    int nodeOf(long index) {
        int pos = 0;
        long rest = index;
        for (int step = mask; step > 0; step >>= 1) {
            int next = pos + step;
            if (next < tree.length && tree[next] <= rest) {
                pos = next;
                rest -= tree[next];
            }
        }
        return pos;   // 0-based: the first node whose prefix exceeds index
    }
}
