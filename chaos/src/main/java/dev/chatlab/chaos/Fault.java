package dev.chatlab.chaos;

import java.util.List;

/**
 * One fault, as data: what goes wrong, to which nodes, and for how long. A fault plan schedules
 * faults in time ({@link FaultPlan}); an injector applies them to a world ({@link ChaosTarget}).
 * Nodes are named as the scenario names them ({@code n1}, {@code n2}...).
 *
 * <pre>{@code
 * Fault kill = new Fault.Kill("n2", 3_000_000);                 // down for 3 s, then restarted
 * Fault split = new Fault.Partition(List.of(List.of("n1"), List.of("n2", "n3")), 0);  // until healed
 * String kind = split.kind();                                   // "partition"
 * }</pre>
 *
 * <p>A {@code durationMicros} of 0 means "until something undoes it" (a restart, a heal, the
 * quiesce at the end of the run); a positive one schedules the undo automatically.
 */
public sealed interface Fault {

    /** The fault's kind, as summaries count it: {@code kill}, {@code partition}, ... */
    String kind();

    /** The node process crashes, losing its volatile state; restarted after {@code downMicros} if positive. */
    record Kill(String node, long downMicros) implements Fault {
        @Override
        public String kind() {
            return "kill";
        }
    }

    /** A crashed node comes back as a new incarnation (and a new cluster member). */
    record Restart(String node) implements Fault {
        @Override
        public String kind() {
            return "restart";
        }
    }

    /** The nodes split into {@code sides} that cannot reach each other, both ways; membership splits with them. */
    record Partition(List<List<String>> sides, long durationMicros) implements Fault {
        public Partition {
            sides = sides.stream().map(List::copyOf).toList();
            if (sides.size() < 2) {
                throw new IllegalArgumentException("a partition needs at least two sides: " + sides);
            }
        }

        @Override
        public String kind() {
            return "partition";
        }
    }

    /** Messages from {@code from} to {@code to} are lost; the other way still works (an asymmetric partition). */
    record OneWayCut(List<String> from, List<String> to, long durationMicros) implements Fault {
        public OneWayCut {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }

        @Override
        public String kind() {
            return "partition-one-way";
        }
    }

    /** Every partition and cut ends. */
    record Heal() implements Fault {
        @Override
        public String kind() {
            return "heal";
        }
    }

    /** Every message to or from {@code nodes} (empty: every link) takes {@code extraMicros} longer. */
    record LatencySpike(List<String> nodes, long extraMicros, long durationMicros) implements Fault {
        public LatencySpike {
            nodes = List.copyOf(nodes);
        }

        @Override
        public String kind() {
            return "latency-spike";
        }
    }

    /** The node's clock steps to {@code offsetMicros} away from true time. */
    record ClockSkew(String node, long offsetMicros) implements Fault {
        @Override
        public String kind() {
            return "clock-skew";
        }
    }

    /** The shared store's disk serves every request {@code factor} times slower. */
    record SlowDisk(double factor, long durationMicros) implements Fault {
        @Override
        public String kind() {
            return "slow-disk";
        }
    }

    /** Every device connected to {@code node} loses its connection at once: a thundering herd of reconnects. */
    record MassDisconnect(String node) implements Fault {
        @Override
        public String kind() {
            return "mass-disconnect";
        }
    }

    /**
     * The store's own server process ({@code target} {@code store}: every server of it;
     * {@code shard-N}: the N-th server of a sharded store) is killed with {@code kill -9} and, if
     * {@code downMicros} is positive, started again on its data after that long. Only a real run
     * has a store process to kill; the nodes ride through on their store retries.
     */
    record StoreKill(String target, long downMicros) implements Fault {
        /** The whole store, as opposed to {@code shard-N}. */
        public static final String WHOLE = "store";

        public StoreKill {
            if (!target.equals(WHOLE) && !target.matches("shard-[1-9][0-9]*")) {
                throw new IllegalArgumentException("a store-kill targets 'store' or 'shard-N', got '" + target + "'");
            }
        }

        /** The shard's number (from 1), or 0 for the whole store. */
        public int shard() {
            return target.equals(WHOLE) ? 0 : Integer.parseInt(target.substring("shard-".length()));
        }

        @Override
        public String kind() {
            return "store-kill";
        }
    }

    /** Every kind, in the order summaries list them. */
    List<String> KINDS = List.of("kill", "restart", "partition", "partition-one-way", "heal", "latency-spike",
            "clock-skew", "slow-disk", "mass-disconnect", "store-kill");
}
