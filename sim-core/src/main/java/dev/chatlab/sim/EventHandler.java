package dev.chatlab.sim;

/**
 * Receives the events of one component (a model, the network, the process table). An event is
 * four primitives chosen by the component that scheduled it, so dispatch allocates nothing:
 *
 * <pre>{@code
 * final class TokenRing implements EventHandler {
 *     final Simulation sim;
 *     final int id;
 *     final int[] hits = new int[100];
 *     TokenRing(Simulation sim) { this.sim = sim; this.id = sim.register(this); }
 *     public void onEvent(int target, int kind, long payload) {   // sim.now() is the event's time
 *         hits[target]++;
 *         sim.after(1_000, id, (target + 1) % hits.length, kind, payload);
 *     }
 * }
 * TokenRing ring = new TokenRing(sim);
 * sim.schedule(0, ring.id, 0, 0, 0L);
 * sim.runUntil(1_000_000);
 * }</pre>
 *
 * <p>Events scheduled with an attachment (an object, such as a network message) arrive through
 * {@link #onEvent(int, int, long, Object)}; its default ignores the attachment.
 */
@FunctionalInterface
public interface EventHandler {

    /** Handles an event at {@link Simulation#now()}; {@code target}, {@code kind} and {@code payload} mean what the scheduler chose. */
    void onEvent(int target, int kind, long payload);

    /** Handles an event that was scheduled with a non-null attachment. */
    default void onEvent(int target, int kind, long payload, Object attachment) {
        onEvent(target, kind, payload);
    }
}
