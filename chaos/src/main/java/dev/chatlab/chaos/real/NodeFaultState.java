package dev.chatlab.chaos.real;

import java.util.Set;
import java.util.TreeSet;

/**
 * What one real node is told to do to itself: read its clock {@code clockOffsetMicros} away from
 * true time, slow its store calls by {@code diskFactor}, drop its peer messages to the nodes in
 * {@code dropTo} and from the nodes in {@code dropFrom}. The whole state is sent each time, so
 * sending it again (after a restart) is harmless.
 *
 * <pre>{@code
 * NodeFaultState s = NodeFaultState.NORMAL.withClockOffset(-5_000_000);
 * }</pre>
 */
public record NodeFaultState(long clockOffsetMicros, double diskFactor, Set<String> dropTo, Set<String> dropFrom) {

    public static final NodeFaultState NORMAL = new NodeFaultState(0, 1, Set.of(), Set.of());

    public NodeFaultState {
        if (!(diskFactor >= 1)) {
            throw new IllegalArgumentException("a disk factor is at least 1: " + diskFactor);
        }
        // Sorted, so the state prints and compares the same whatever order the cuts came in.
        dropTo = Set.copyOf(new TreeSet<>(dropTo));
        dropFrom = Set.copyOf(new TreeSet<>(dropFrom));
    }
}
