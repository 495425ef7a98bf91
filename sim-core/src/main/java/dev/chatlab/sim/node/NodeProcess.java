package dev.chatlab.sim.node;

/**
 * The code that runs on a simulated node, one instance per incarnation: its fields are the
 * node's volatile state, lost when the node crashes (the next incarnation is a new instance
 * from the {@link NodeFactory}). Every callback gets the node's {@link NodeContext}, through
 * which it reads its clock, sends messages, sets timers and uses its disk.
 *
 * <pre>{@code
 * final class Pinger implements NodeProcess {
 *     private int pongs;                                     // volatile: gone after a crash
 *     public void onStart(NodeContext ctx) {
 *         ctx.setTimerAfter(SimTime.millis(100), "ping");
 *     }
 *     public void onTimer(Object timer, NodeContext ctx) {
 *         ctx.send(0, "ping from " + ctx.node());
 *         ctx.setTimerAfter(SimTime.millis(100), "ping");
 *     }
 *     public void onMessage(int from, Object message, NodeContext ctx) {
 *         pongs++;
 *     }
 * }
 * }</pre>
 *
 * <p>A sans-IO protocol state machine is hosted by a thin adapter of this interface: it passes
 * {@code ctx.nowMicros()} in and turns the returned effects into {@code ctx} calls.
 */
public interface NodeProcess {

    /** The incarnation starts (first start or restart after a crash). */
    default void onStart(NodeContext ctx) {
    }

    /** A message from node {@code from} arrived. */
    default void onMessage(int from, Object message, NodeContext ctx) {
    }

    /** A timer this incarnation set has fired; {@code timer} is the tag it was set with. */
    default void onTimer(Object timer, NodeContext ctx) {
    }

    /** A disk request this incarnation submitted has completed; {@code tag} is the tag it was submitted with. */
    default void onDiskDone(Object tag, NodeContext ctx) {
    }
}
