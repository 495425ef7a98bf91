package dev.chatlab.scenarios.real;

import dev.chatlab.checker.invariant.NoLostAck;
import dev.chatlab.reference.fleet.Frontier;
import dev.chatlab.reference.fleet.RealDriver;
import dev.chatlab.scenarios.Convergence;

import java.util.List;
import java.util.Map;

/**
 * A real run's {@link Convergence}, fed with what the fleet's devices have: every device of every
 * member of a chat is owed the newest seq any device saw in it (the membership of a real run does
 * not change), and no send may still be waiting for its answer. Its counts are lower bounds (a
 * chat behind counts one message); the checker names every missing message at the end.
 */
final class FleetConvergence implements RealDriver.Settling {

    private final Convergence convergence;
    private final Map<String, List<String>> members;
    private final List<String> devices;

    /** Told the workload's zero on the fleet's clock when the fleet starts. */
    private java.util.function.LongConsumer onStart = zero -> { };

    FleetConvergence(Convergence convergence, Map<String, List<String>> members, List<String> devices) {
        this.convergence = convergence;
        this.members = members;
        this.devices = devices;
    }

    /** Also tells {@code listener} the workload's zero when the fleet starts. */
    FleetConvergence onStart(java.util.function.LongConsumer listener) {
        this.onStart = listener;
        return this;
    }

    @Override
    public void started(long zeroMicros) {
        onStart.accept(zeroMicros);
    }

    @Override
    public synchronized void quiesced(long runMicros) {
        convergence.quiescedAt(runMicros);
    }

    @Override
    public synchronized boolean observe(long runMicros, Frontier frontier) {
        Frontier.Owed owed = frontier.owed(members, devices);
        convergence.observe(runMicros, new NoLostAck.Backlog((int) Math.min(Integer.MAX_VALUE, owed.messages()),
                (int) owed.devices(), owed.deliveries()), owed.pendingSends());
        return convergence.settled();
    }

    @Override
    public long boundMicros() {
        return convergence.deadlineMicros() - convergence.quiesceMicros();
    }

    @Override
    public synchronized String status() {
        if (!convergence.observed()) {
            return "settling";
        }
        return "owed=" + convergence.backlog().obligations() + " unanswered=" + convergence.pendingSends();
    }
}
