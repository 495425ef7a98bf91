package dev.chatlab.reference.cluster;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a node learns which chat nodes are alive: a fixed list for a single node, Hazelcast's
 * member list for a cluster. Changes are reported on the node's event loop.
 *
 * <pre>{@code
 * Membership members = Membership.fixed(List.of("n1"));
 * members.start(nodes -> node.onClusterView(new ClusterView(++version, nodes), now()));
 * }</pre>
 */
public interface Membership {

    /** Calls {@code onChange} with the live node names now and after every change. */
    void start(Consumer<List<String>> onChange);

    static Membership fixed(List<String> nodes) {
        List<String> copy = List.copyOf(nodes);
        return onChange -> onChange.accept(copy);
    }
}
