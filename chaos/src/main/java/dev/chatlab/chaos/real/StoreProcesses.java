package dev.chatlab.chaos.real;

/**
 * The server processes of a real cluster's store, as chaos sees them: by target, {@code store}
 * (every server) or {@code shard-N} (one server of a sharded store). A real cluster launcher
 * implements it; tests use a fake.
 *
 * <pre>{@code
 * StoreProcesses store = new StoreProcesses() { ... cluster.killStore(target) ... };
 * }</pre>
 */
public interface StoreProcesses {

    /** {@code kill -9} of the target's server processes (and every process under them); false if none ran. */
    boolean kill(String target);

    /** Starts the target's servers again on their data and returns once they serve; false if they were up. */
    boolean restart(String target) throws Exception;
}
