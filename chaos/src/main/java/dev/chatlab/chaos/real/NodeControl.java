package dev.chatlab.chaos.real;

/**
 * How chaos reaches a real node to change its state (clock, store, peer links): a run implements
 * it over the node's chaos endpoint; tests use a fake.
 *
 * <pre>{@code
 * NodeControl control = (node, state) -> client.post(portOf(node), state);
 * }</pre>
 */
public interface NodeControl {

    /** Gives {@code node} its whole fault state; false (or an exception) if it could not be reached. */
    boolean apply(String node, NodeFaultState state) throws Exception;
}
