package dev.chatlab.chaos;

import dev.chatlab.sim.random.RandomStream;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded random mix of faults ("swarm testing"): the seed first decides which kinds of fault
 * this run gets at all (each allowed kind is in with probability one half, at least one is), then
 * how many faults, when, where and how bad. Different seeds thus explore different mixes, not
 * just different timings of the same mix.
 *
 * <pre>{@code
 * Swarm swarm = Swarm.defaults(500_000, 5_000_000).withFaults(2, 6);
 * FaultPlan plan = swarm.draw(random.stream("swarm"), List.of("n1", "n2", "n3"));
 * Swarm.Mix mix = swarm.mix(random.stream("swarm"));   // which kinds were drawn in, for the summary
 * }</pre>
 *
 * @param kinds           the kinds the swarm may draw from ({@link #DRAWABLE} by default)
 * @param faultsMin       fewest faults drawn
 * @param faultsMax       most faults drawn
 * @param fromMicros      faults fire at or after this time
 * @param untilMicros     ...and before this one (recoveries may come later)
 * @param downMaxMicros   longest a kill, partition, cut, spike or slow disk lasts (at least a tenth of it)
 * @param spikeMaxMicros  largest latency added by a spike
 * @param skewMaxMicros   largest clock step, either way
 * @param slowFactorMax   largest slow-disk factor
 */
public record Swarm(List<String> kinds, int faultsMin, int faultsMax, long fromMicros, long untilMicros,
                    long downMaxMicros, long spikeMaxMicros, long skewMaxMicros, double slowFactorMax) {

    /** Kinds a swarm draws; restarts and heals come with kills and partitions as their recoveries. */
    public static final List<String> DRAWABLE = List.of("kill", "partition", "partition-one-way", "latency-spike",
            "clock-skew", "slow-disk", "mass-disconnect");

    public Swarm {
        kinds = List.copyOf(kinds);
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a swarm needs at least one kind of fault");
        }
        for (String kind : kinds) {
            if (!DRAWABLE.contains(kind)) {
                throw new IllegalArgumentException("a swarm cannot draw '" + kind + "'; expected one of " + DRAWABLE);
            }
        }
        if (faultsMin < 0 || faultsMax < faultsMin) {
            throw new IllegalArgumentException("bad fault count range [" + faultsMin + ", " + faultsMax + "]");
        }
        if (fromMicros < 0 || untilMicros <= fromMicros) {
            throw new IllegalArgumentException("bad fault window [" + fromMicros + ", " + untilMicros + ")");
        }
    }

    /** Every drawable kind, 1 to 5 faults, each lasting up to 2 s; spikes up to 300 ms, skews up to 2 s, disks up to 20x. */
    public static Swarm defaults(long fromMicros, long untilMicros) {
        return new Swarm(DRAWABLE, 1, 5, fromMicros, untilMicros, 2_000_000, 300_000, 2_000_000, 20);
    }

    public Swarm withKinds(List<String> newKinds) {
        return new Swarm(newKinds, faultsMin, faultsMax, fromMicros, untilMicros, downMaxMicros, spikeMaxMicros,
                skewMaxMicros, slowFactorMax);
    }

    public Swarm withFaults(int min, int max) {
        return new Swarm(kinds, min, max, fromMicros, untilMicros, downMaxMicros, spikeMaxMicros, skewMaxMicros,
                slowFactorMax);
    }

    /** The kinds one seed lets in, and how many faults it draws. */
    public record Mix(List<String> kinds, int faults) {
    }

    /** The mix a stream in this state draws (the first draws of {@link #draw}). */
    public Mix mix(RandomStream random) {
        List<String> in = new ArrayList<>();
        for (String kind : kinds) {
            if (random.nextBoolean()) {
                in.add(kind);
            }
        }
        if (in.isEmpty()) {
            in.add(kinds.get(random.nextInt(kinds.size())));
        }
        int n = faultsMin + random.nextInt(faultsMax - faultsMin + 1);
        return new Mix(List.copyOf(in), n);
    }

    /** Draws a plan over {@code nodes}; every fault is tagged with origin {@code swarm}. */
    public FaultPlan draw(RandomStream random, List<String> nodes) {
        Mix mix = mix(random);
        FaultPlan plan = FaultPlan.empty();
        for (int i = 0; i < mix.faults(); i++) {
            long at = fromMicros + random.nextLong(untilMicros - fromMicros);
            String kind = mix.kinds().get(random.nextInt(mix.kinds().size()));
            plan = plan.at(at, fault(kind, random, nodes), "swarm");
        }
        return plan;
    }

    private Fault fault(String kind, RandomStream random, List<String> nodes) {
        String node = nodes.get(random.nextInt(nodes.size()));
        long lasts = Math.max(1, downMaxMicros / 10 + random.nextLong(Math.max(1, downMaxMicros - downMaxMicros / 10)));
        switch (kind) {
            case "kill":
                return new Fault.Kill(node, lasts);
            case "partition": {
                List<String> shuffled = shuffled(nodes, random);
                int cut = 1 + random.nextInt(Math.max(1, shuffled.size() - 1));
                if (shuffled.size() < 2) {
                    return new Fault.LatencySpike(List.of(), 1 + random.nextLong(Math.max(1, spikeMaxMicros)), lasts);
                }
                return new Fault.Partition(List.of(shuffled.subList(0, cut), shuffled.subList(cut, shuffled.size())), lasts);
            }
            case "partition-one-way": {
                List<String> others = new ArrayList<>(nodes);
                others.remove(node);
                if (others.isEmpty()) {
                    return new Fault.LatencySpike(List.of(), 1 + random.nextLong(Math.max(1, spikeMaxMicros)), lasts);
                }
                return random.nextBoolean() ? new Fault.OneWayCut(List.of(node), others, lasts)
                        : new Fault.OneWayCut(others, List.of(node), lasts);
            }
            case "latency-spike":
                return new Fault.LatencySpike(random.nextBoolean() ? List.of() : List.of(node),
                        1 + random.nextLong(Math.max(1, spikeMaxMicros)), lasts);
            case "clock-skew":
                return new Fault.ClockSkew(node, random.nextLong(2 * skewMaxMicros + 1) - skewMaxMicros);
            case "slow-disk":
                return new Fault.SlowDisk(1 + random.nextDouble() * (slowFactorMax - 1), lasts);
            case "mass-disconnect":
                return new Fault.MassDisconnect(node);
            default:
                throw new IllegalStateException("not a drawable kind: " + kind);
        }
    }

    private static List<String> shuffled(List<String> nodes, RandomStream random) {
        List<String> out = new ArrayList<>(nodes);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = out.get(i);
            out.set(i, out.get(j));
            out.set(j, swap);
        }
        return out;
    }
}
