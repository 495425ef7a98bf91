package dev.chatlab.chaos.real;

/**
 * The processes of a real cluster, as chaos sees them: by node name. A real cluster launcher
 * implements it; tests use a fake.
 *
 * <pre>{@code
 * NodeProcesses nodes = new NodeProcesses() { ... cluster.kill(node) ... };
 * }</pre>
 */
public interface NodeProcesses {

    /** {@code kill -9}; false if the node was not running. */
    boolean kill(String node);

    /** Starts a node that is down again and returns once it serves; false if it was already up. */
    boolean restart(String node) throws Exception;

    boolean isAlive(String node);
}
