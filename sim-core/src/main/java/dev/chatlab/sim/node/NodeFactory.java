package dev.chatlab.sim.node;

/** Creates the process for one incarnation of a node: at first start and after every restart. */
@FunctionalInterface
public interface NodeFactory {

    NodeProcess create(int node, int incarnation);
}
