package dev.chatlab.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A schedule of faults: each at a time in microseconds from the start of the run. Plans are
 * values that compose: {@link #plus} merges two plans, so packages of faults (a kill with its
 * restart, a partition with its heal) combine with a hand-written schedule and a swarm.
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.empty()
 *         .at(2_000_000, new Fault.Kill("n2", 0))
 *         .at(4_000_000, new Fault.Restart("n2"))
 *         .plus(FaultPackages.partitionHalves(List.of("n1", "n2", "n3"), 5_000_000, 1_000_000));
 * }</pre>
 */
public record FaultPlan(List<Scheduled> faults) {

    /** One fault and when it fires; {@code origin} says where it came from (a file entry, a package, the swarm). */
    public record Scheduled(long atMicros, Fault fault, String origin) {
        public Scheduled {
            if (atMicros < 0) {
                throw new IllegalArgumentException("a fault fires at or after 0: " + atMicros);
            }
        }
    }

    public FaultPlan {
        List<Scheduled> sorted = new ArrayList<>(faults);
        // Stable: faults at the same time keep the order they were written in.
        sorted.sort(Comparator.comparingLong(Scheduled::atMicros));
        faults = List.copyOf(sorted);
    }

    public static FaultPlan empty() {
        return new FaultPlan(List.of());
    }

    public FaultPlan at(long atMicros, Fault fault) {
        return at(atMicros, fault, "plan");
    }

    public FaultPlan at(long atMicros, Fault fault, String origin) {
        List<Scheduled> out = new ArrayList<>(faults);
        out.add(new Scheduled(atMicros, fault, origin));
        return new FaultPlan(out);
    }

    public FaultPlan plus(FaultPlan other) {
        List<Scheduled> out = new ArrayList<>(faults);
        out.addAll(other.faults);
        return new FaultPlan(out);
    }

    public int size() {
        return faults.size();
    }

    public boolean isEmpty() {
        return faults.isEmpty();
    }
}
