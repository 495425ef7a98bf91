package dev.chatlab.sim.net;

import java.util.BitSet;

/**
 * An immutable set of node ids, the operand of partitions and latency spikes. It can be a finite
 * set ({@link #of}, {@link #range}) or everything but a few nodes ({@link #all}, {@link #allExcept}).
 *
 * <pre>{@code
 * network.partition(NodeSet.range(0, 3), NodeSet.range(3, 5));   // {0,1,2} | {3,4}
 * network.cutOneWay(NodeSet.of(4), NodeSet.allExcept(4));        // 4 can hear, but not speak
 * }</pre>
 */
public final class NodeSet {

    private static final NodeSet ALL = new NodeSet(new BitSet(), true);

    private final BitSet members;
    private final boolean complement;

    private NodeSet(BitSet members, boolean complement) {
        this.members = members;
        this.complement = complement;
    }

    public static NodeSet of(int... nodes) {
        return new NodeSet(bits(nodes), false);
    }

    /** Nodes {@code fromInclusive} to {@code toExclusive}. */
    public static NodeSet range(int fromInclusive, int toExclusive) {
        if (fromInclusive < 0 || toExclusive < fromInclusive) {
            throw new IllegalArgumentException("bad node range [" + fromInclusive + ", " + toExclusive + ")");
        }
        BitSet bits = new BitSet();
        bits.set(fromInclusive, toExclusive);
        return new NodeSet(bits, false);
    }

    /** Every node, including ones added later. */
    public static NodeSet all() {
        return ALL;
    }

    public static NodeSet allExcept(int... nodes) {
        return new NodeSet(bits(nodes), true);
    }

    public boolean contains(int node) {
        return node >= 0 && members.get(node) != complement;
    }

    /** Nodes in either set. */
    public NodeSet union(NodeSet other) {
        BitSet bits = (BitSet) members.clone();
        if (!complement && !other.complement) {
            bits.or(other.members);
            return new NodeSet(bits, false);
        }
        if (complement && other.complement) {
            bits.and(other.members);
            return new NodeSet(bits, true);
        }
        // One finite set F and one complement ~E: F | ~E = ~(E \ F).
        BitSet excluded = (BitSet) (complement ? members : other.members).clone();
        excluded.andNot(complement ? other.members : members);
        return new NodeSet(excluded, true);
    }

    private static BitSet bits(int... nodes) {
        BitSet bits = new BitSet();
        for (int node : nodes) {
            if (node < 0) {
                throw new IllegalArgumentException("node ids are non-negative: " + node);
            }
            bits.set(node);
        }
        return bits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeSet && ((NodeSet) o).complement == complement && ((NodeSet) o).members.equals(members);
    }

    @Override
    public int hashCode() {
        return members.hashCode() * 31 + (complement ? 1 : 0);
    }

    @Override
    public String toString() {
        return complement ? (members.isEmpty() ? "all" : "all except " + members) : members.toString();
    }
}
