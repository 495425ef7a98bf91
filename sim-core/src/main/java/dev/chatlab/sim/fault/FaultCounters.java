package dev.chatlab.sim.fault;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many faults of each kind a run injected, by name. Every fault primitive of the simulator
 * (a crash, a partition, a clock jump...) records itself here, so a report can show which faults
 * fired and a scenario whose fault never triggered is visible. Iteration is in name order, so a
 * report built from {@link #snapshot()} is the same on every run.
 *
 * <pre>{@code
 * FaultCounters faults = new FaultCounters();
 * SimNetwork network = new SimNetwork(sim, random.stream("network"), faults);
 * network.partition(NodeSet.of(0, 1), NodeSet.of(2));
 * faults.count(FaultCounters.PARTITION);      // 1
 * faults.snapshot();                          // {partition=1}
 * }</pre>
 */
public final class FaultCounters {

    public static final String CRASH = "crash";
    public static final String RESTART = "restart";
    public static final String PARTITION = "partition";
    public static final String ONE_WAY_PARTITION = "partition-one-way";
    public static final String HEAL = "heal";
    public static final String LATENCY_SPIKE = "latency-spike";
    public static final String CLOCK_SKEW = "clock-skew";
    public static final String CLOCK_DRIFT = "clock-drift";
    public static final String SLOW_DISK = "slow-disk";

    private final TreeMap<String, Long> counts = new TreeMap<>();
    private long total;

    /** Counts one injected fault of the named kind. Names are free-form: injectors may add their own. */
    public void record(String fault) {
        if (fault == null || fault.isEmpty()) {
            throw new IllegalArgumentException("a fault needs a name");
        }
        counts.merge(fault, 1L, Long::sum);
        total++;
    }

    public long count(String fault) {
        return counts.getOrDefault(fault, 0L);
    }

    public long total() {
        return total;
    }

    /** An immutable copy, sorted by name. */
    public SortedMap<String, Long> snapshot() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(counts));
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
