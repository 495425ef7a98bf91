package dev.chatlab.sim;

/**
 * Sees every event a {@link Simulation} dispatches, just before its handler runs. Used to prove
 * determinism (see {@link TraceDigest}) and to debug a seed; costs one null check per event when
 * no tracer is set.
 */
@FunctionalInterface
public interface EventTracer {

    /** {@code handler} is the id that {@link Simulation#register} returned for the event's handler. */
    void onEvent(long timeMicros, int handler, int target, int kind, long payload);
}
