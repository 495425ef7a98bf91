package dev.chatlab.scenarios;

import dev.chatlab.chaos.Fault;
import dev.chatlab.chaos.FaultPlan;
import dev.chatlab.scenarios.coarse.CoarseSettings;

import java.util.Locale;

/**
 * How much heap a simulated run of a scenario needs, worked out before it starts, so that a run
 * too big for the JVM is refused with the estimate and the key to lower instead of dying of an
 * OutOfMemoryError minutes in.
 *
 * <p>The full level keeps chat-core's state per device and per chat membership; the figures are
 * measured (heap after a young collection of {@code chatlab run} at 50k and 100k users, groups of
 * 8: about 4 KiB a device and 1 KiB a membership, on top of the JVM's own). The coarse level keeps
 * a few arrays per server, one time-series bucket per interval, and one pending reconnect per
 * device of a server that is killed or dropped (the herd is scheduled device by device); it does
 * not grow with the population otherwise.
 *
 * <pre>{@code
 * HeapEstimate e = HeapEstimate.of(scenario);
 * String refusal = e.refusal(Runtime.getRuntime().maxMemory());   // null when it fits
 * }</pre>
 *
 * @param bytes     the heap the run needs, base included
 * @param breakdown what the bytes are made of, in words
 * @param lower     the key whose value to lower first (the largest term)
 */
public record HeapEstimate(long bytes, String breakdown, String lower) {

    /** The JVM, the simulation kernel's initial arrays, the histograms and the output buffers. */
    static final long BASE_BYTES = 64L << 20;
    static final long FULL_BYTES_PER_DEVICE = 4_096;
    static final long FULL_BYTES_PER_MEMBERSHIP = 1_024;
    /** A server's counters and its initial job ring (256 jobs); queues that grow are in-flight work. */
    static final long COARSE_BYTES_PER_NODE = 4_096;
    /** One interval's time-series row (eleven longs) and its share of the interval bookkeeping. */
    static final long COARSE_BYTES_PER_INTERVAL = 128;
    /** One pending reconnect in the kernel's ladder queue (a time, a target, a kind, a payload), with its slack. */
    static final long COARSE_BYTES_PER_PENDING_RECONNECT = 64;

    public static HeapEstimate of(Scenario s) {
        return s.level() == Scenario.Level.COARSE ? coarse(s) : full(s);
    }

    private static HeapEstimate full(Scenario s) {
        Scenario.Population p = s.population();
        long devices = (long) p.users() * p.devicesPerUser();
        long memberships = Math.round(p.chats() * meanGroupSize(p)) + (long) p.megaChats() * p.megaGroupSize();
        long deviceBytes = devices * FULL_BYTES_PER_DEVICE;
        long memberBytes = memberships * FULL_BYTES_PER_MEMBERSHIP;
        String breakdown = String.format(Locale.ROOT, "full level: %,d devices x %d B + %,d chat memberships x %d B + %d MiB base",
                devices, FULL_BYTES_PER_DEVICE, memberships, FULL_BYTES_PER_MEMBERSHIP, BASE_BYTES >> 20);
        String lower = deviceBytes >= memberBytes ? "population.users" : "population.chats";
        return new HeapEstimate(BASE_BYTES + deviceBytes + memberBytes, breakdown, lower);
    }

    private static HeapEstimate coarse(Scenario s) {
        CoarseSettings k = CoarseSettings.parse(s.coarse());
        int nodes = s.topology().nodes();
        long devices = (long) s.population().users() * s.population().devicesPerUser();
        long perServer = Math.min(k.connectionsPerServer(), (devices + nodes - 1) / nodes);
        long drops = 0;
        for (FaultPlan.Scheduled scheduled : s.chaos().schedule().faults()) {
            if (scheduled.fault() instanceof Fault.Kill || scheduled.fault() instanceof Fault.MassDisconnect) {
                drops++;
            }
        }
        long intervals = (s.durationMicros() + k.intervalMicros() - 1) / k.intervalMicros();
        long nodeBytes = nodes * COARSE_BYTES_PER_NODE;
        long intervalBytes = intervals * COARSE_BYTES_PER_INTERVAL;
        long herdBytes = drops * perServer * COARSE_BYTES_PER_PENDING_RECONNECT;
        String breakdown = String.format(Locale.ROOT, "coarse level: %,d nodes x %d B + %,d intervals x %d B + %d herds"
                        + " of %,d devices x %d B + %d MiB base", nodes, COARSE_BYTES_PER_NODE, intervals,
                COARSE_BYTES_PER_INTERVAL, drops, perServer, COARSE_BYTES_PER_PENDING_RECONNECT, BASE_BYTES >> 20);
        String lower = herdBytes >= nodeBytes && herdBytes >= intervalBytes ? "coarse.connections_per_server"
                : nodeBytes >= intervalBytes ? "topology.nodes" : "coarse.interval";
        return new HeapEstimate(BASE_BYTES + nodeBytes + intervalBytes + herdBytes, breakdown, lower);
    }

    /** Members of an ordinary chat on average: the fixed size, or the mean of the Zipf over 2..max. */
    private static double meanGroupSize(Scenario.Population p) {
        Scenario.GroupSizes sizes = p.groupSizes();
        if (!sizes.zipf()) {
            return p.groupSize();
        }
        double weights = 0;
        double sum = 0;
        for (int size = 2; size <= Math.min(sizes.max(), 1_000_000); size++) {
            double w = Math.pow(size - 1, -sizes.exponent());
            weights += w;
            sum += w * size;
        }
        return sum / weights;
    }

    /** Why the run cannot fit {@code maxHeapBytes} (the estimate, the heap, the key to lower), or null when it fits. */
    public String refusal(long maxHeapBytes) {
        if (bytes <= maxHeapBytes) {
            return null;
        }
        return String.format(Locale.ROOT, "the run needs about %s of heap but the JVM has %s (-Xmx; set it with"
                        + " CHATLAB_JAVA_OPTS=-Xmx...); %s; lower %s", size(bytes), size(maxHeapBytes), breakdown, lower);
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }
}
