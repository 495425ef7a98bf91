package dev.chatlab.chaos;

import java.util.List;

/**
 * A world that faults can be applied to: the simulated chat world, or (later) a real cluster.
 * Each method acts now and returns whether the fault took effect; a fault that cannot apply
 * (killing a node that is already down) returns false, and the injector reports it as skipped.
 *
 * <pre>{@code
 * final class MyWorld implements ChaosTarget {
 *     public boolean kill(String node) { ...; return true; }
 *     ...
 * }
 * new FaultInjector(sim, world).schedule(plan);
 * }</pre>
 */
public interface ChaosTarget {

    boolean kill(String node);

    boolean restart(String node);

    /** Cuts every link between different sides, both ways; returns a handle for {@link #heal(long)}, or -1. */
    long partition(List<List<String>> sides);

    /** Cuts the links from {@code from} to {@code to} only; returns a handle, or -1. */
    long cutOneWay(List<String> from, List<String> to);

    /** Ends one partition or cut; false if it had ended already. */
    boolean heal(long handle);

    /** Ends every partition and cut; false if there was none. */
    boolean healAll();

    /** Adds delay to every message to or from {@code nodes} (every link if empty); returns a handle, or -1. */
    long spikeLatency(List<String> nodes, long extraMicros);

    boolean endSpike(long handle);

    boolean skewClock(String node, long offsetMicros);

    boolean slowDisk(double factor);

    boolean restoreDisk();

    boolean massDisconnect(String node);

    /** Whether faults are over (the run has quiesced): the injector then fires nothing more. */
    boolean quiesced();
}
