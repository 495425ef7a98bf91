package dev.chatlab.sim.node;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.random.RandomStream;

/**
 * What a {@link NodeProcess} can do, bound to one incarnation of one node. Once that incarnation
 * has crashed the context is inert: sends are dropped, timers and disk requests are refused
 * (they return {@link Simulation#NO_TIMER} or -1), so a zombie callback cannot act for its
 * successor.
 *
 * <p>Time on a node is its own clock's: {@link #nowMicros()} and the timer methods use the
 * node's {@link NodeClock}, skew and drift included; {@link #trueNowMicros()} is virtual time,
 * for recording histories.
 */
public final class NodeContext {

    private final SimNodes nodes;
    private final int node;
    private final int incarnation;

    NodeContext(SimNodes nodes, int node, int incarnation) {
        this.nodes = nodes;
        this.node = node;
        this.incarnation = incarnation;
    }

    public int node() {
        return node;
    }

    public int incarnation() {
        return incarnation;
    }

    /** Whether this context's incarnation is still the one running. */
    public boolean isCurrent() {
        return nodes.isUp(node) && nodes.incarnation(node) == incarnation;
    }

    /** The node's clock reading (skewed, drifting). */
    public long nowMicros() {
        return nodes.localNow(node);
    }

    /** True virtual time. */
    public long trueNowMicros() {
        return nodes.simulation().now();
    }

    /** This node's random stream (the same stream across incarnations, so restarts stay replayable). */
    public RandomStream random() {
        return nodes.random(node);
    }

    public NodeClock clock() {
        return nodes.clock(node);
    }

    public SimDisk disk() {
        return nodes.disk(node);
    }

    /** Sends {@code message} to node {@code to}; false if dropped at once or this incarnation is dead. */
    public boolean send(int to, Object message) {
        return isCurrent() && nodes.network().send(node, to, message);
    }

    /** Fires {@code onTimer(timer)} after {@code delayMicros} of this node's clock. */
    public long setTimerAfter(long delayMicros, Object timer) {
        if (delayMicros < 0) {
            throw new IllegalArgumentException("negative delay " + delayMicros);
        }
        return setTimerAt(nowMicros() + delayMicros, timer);
    }

    /** Fires {@code onTimer(timer)} when this node's clock reads {@code localMicros} (at once if it already does). */
    public long setTimerAt(long localMicros, Object timer) {
        if (!isCurrent()) {
            return Simulation.NO_TIMER;
        }
        return nodes.scheduleTimer(node, incarnation, nodes.trueTimeAt(node, localMicros), timer);
    }

    public boolean cancelTimer(long timer) {
        return isCurrent() && nodes.simulation().cancel(timer);
    }

    /** Writes {@code bytes} to the node's disk; {@code onDiskDone(tag)} when done. Returns the completion's true time, or -1. */
    public long write(long bytes, Object tag) {
        return isCurrent() ? nodes.diskRequest(node, incarnation, disk().submitWrite(bytes), tag) : -1;
    }

    /** Reads {@code bytes} from the node's disk; {@code onDiskDone(tag)} when done. */
    public long read(long bytes, Object tag) {
        return isCurrent() ? nodes.diskRequest(node, incarnation, disk().submitRead(bytes), tag) : -1;
    }

    /** Makes earlier writes durable; {@code onDiskDone(tag)} when done. */
    public long fsync(Object tag) {
        return isCurrent() ? nodes.diskRequest(node, incarnation, disk().submitFsync(), tag) : -1;
    }

    @Override
    public String toString() {
        return "node " + node + " incarnation " + incarnation;
    }
}
