package dev.chatlab.sim.net;

import dev.chatlab.sim.EventHandler;
import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.random.RandomStream;

import java.util.ArrayList;
import java.util.List;

/**
 * A simulated network between nodes named by int ids. {@link #send} draws a delivery time from
 * the link's profile and schedules the delivery, or drops the message; the delivery hands the
 * message object, untouched, to the {@link MessageReceiver}.
 *
 * <pre>{@code
 * SimNetwork network = new SimNetwork(sim, random.stream("network"), faults);
 * network.setDefaultLink(LinkProfile.lan());
 * network.setLinkBothWays(0, 7, LinkProfile.wan());
 * network.setReceiver((from, to, message) -> nodes[to].handle(from, message));
 * network.send(0, 7, new Hello("hi"));
 *
 * long cut = network.partition(NodeSet.of(0, 1), NodeSet.of(2, 3));   // counted as a fault
 * network.heal(cut);
 * }</pre>
 *
 * <p>Faults: partitions (both ways) and one-way cuts between node sets, which drop messages at
 * send and also drop messages already in flight when they arrive across a cut; latency spikes
 * that add delay to matching links; per-link loss. Messages from a node to itself are never cut.
 * Every fault primitive is recorded in the {@link FaultCounters}. Each drop is counted by
 * {@link DropReason}, so {@code sent == delivered + dropped + inFlight} at any time.
 */
public final class SimNetwork {

    private final Simulation sim;
    private final RandomStream random;
    private final FaultCounters faults;
    private final int deliveryHandler;

    private LinkProfile defaultLink = LinkProfile.lan();
    private final LongLongMap linkOverrides = new LongLongMap();
    private final List<LinkProfile> overrideProfiles = new ArrayList<>();
    private final LongLongMap lastDelivery = new LongLongMap();

    private MessageReceiver receiver = (from, to, message) -> {
    };
    private Liveness liveness = Liveness.ALWAYS_UP;

    private final List<Cut> cuts = new ArrayList<>();
    private final List<Spike> spikes = new ArrayList<>();
    private long nextRuleId = 1;

    private long sent;
    private long delivered;
    private final long[] dropped = new long[DropReason.values().length];

    public SimNetwork(Simulation sim, RandomStream random, FaultCounters faults) {
        this.sim = sim;
        this.random = random;
        this.faults = faults;
        this.deliveryHandler = sim.register(new Delivery());
    }

    // ---------------------------------------------------------------- wiring and links

    public void setReceiver(MessageReceiver receiver) {
        this.receiver = receiver;
    }

    public void setLiveness(Liveness liveness) {
        this.liveness = liveness;
    }

    public void setDefaultLink(LinkProfile profile) {
        this.defaultLink = profile;
    }

    /** Sets the profile of the directed link {@code from -> to}. */
    public void setLink(int from, int to, LinkProfile profile) {
        long key = key(from, to);
        long index = linkOverrides.get(key, -1);
        if (index >= 0) {
            overrideProfiles.set((int) index, profile);
        } else {
            linkOverrides.put(key, overrideProfiles.size());
            overrideProfiles.add(profile);
        }
    }

    public void setLinkBothWays(int a, int b, LinkProfile profile) {
        setLink(a, b, profile);
        setLink(b, a, profile);
    }

    public LinkProfile link(int from, int to) {
        if (overrideProfiles.isEmpty()) {
            return defaultLink;
        }
        long index = linkOverrides.get(key(from, to), -1);
        return index < 0 ? defaultLink : overrideProfiles.get((int) index);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code message} from {@code from} to {@code to}; returns false if it was dropped at
     * once (destination down, cut, lost). A message that is sent may still be dropped on arrival.
     */
    public boolean send(int from, int to, Object message) {
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("node ids are non-negative: " + from + " -> " + to);
        }
        if (message == null) {
            throw new IllegalArgumentException("message is null");
        }
        sent++;
        if (!liveness.isUp(to)) {
            return drop(DropReason.DESTINATION_DOWN);
        }
        if (isCut(from, to)) {
            return drop(DropReason.PARTITION);
        }
        LinkProfile link = link(from, to);
        double loss = link.lossProbability();
        if (loss > 0 && random.nextDouble() < loss) {
            return drop(DropReason.LOSS);
        }
        long delay = link.latency().sampleMicros(random);
        if (link.hasJitter()) {
            delay += link.jitter().sampleMicros(random);
        }
        if (!spikes.isEmpty()) {
            delay += spikeDelay(from, to);
        }
        long at = sim.now() + Math.max(0, delay);
        if (link.fifo()) {
            long key = key(from, to);
            long previous = lastDelivery.get(key, -1);
            if (at < previous) {
                at = previous; // a TCP-like link: never overtake the message ahead
            }
            lastDelivery.put(key, at);
        }
        sim.schedule(at, deliveryHandler, to, from, liveness.incarnation(to), message);
        return true;
    }

    private boolean drop(DropReason reason) {
        dropped[reason.ordinal()]++;
        return false;
    }

    // ---------------------------------------------------------------- faults

    /** Cuts every link between {@code a} and {@code b}, both ways. Returns an id for {@link #heal(long)}. */
    public long partition(NodeSet a, NodeSet b) {
        faults.record(FaultCounters.PARTITION);
        long id = nextRuleId++;
        cuts.add(new Cut(id, a, b, true));
        return id;
    }

    /** Cuts the links from {@code from} to {@code to} only: {@code to} can still reach {@code from}. */
    public long cutOneWay(NodeSet from, NodeSet to) {
        faults.record(FaultCounters.ONE_WAY_PARTITION);
        long id = nextRuleId++;
        cuts.add(new Cut(id, from, to, false));
        return id;
    }

    /** Cuts {@code node} from every other node, both ways. */
    public long isolate(int node) {
        return partition(NodeSet.of(node), NodeSet.allExcept(node));
    }

    /** Removes one cut; false if it was already healed. */
    public boolean heal(long cutId) {
        boolean removed = cuts.removeIf(cut -> cut.id == cutId);
        if (removed) {
            faults.record(FaultCounters.HEAL);
        }
        return removed;
    }

    /** Removes every cut. */
    public void healAll() {
        if (!cuts.isEmpty()) {
            cuts.clear();
            faults.record(FaultCounters.HEAL);
        }
    }

    /** Adds {@code extraMicros} to every message from {@code from} to {@code to}, until {@link #endSpike}. */
    public long spikeLatency(NodeSet from, NodeSet to, long extraMicros) {
        if (extraMicros < 0) {
            throw new IllegalArgumentException("a latency spike adds delay: " + extraMicros);
        }
        faults.record(FaultCounters.LATENCY_SPIKE);
        long id = nextRuleId++;
        spikes.add(new Spike(id, from, to, extraMicros));
        return id;
    }

    public boolean endSpike(long spikeId) {
        return spikes.removeIf(spike -> spike.id == spikeId);
    }

    public void endAllSpikes() {
        spikes.clear();
    }

    /** Whether a message from {@code from} to {@code to} would be cut now. */
    public boolean isCut(int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = 0, n = cuts.size(); i < n; i++) {
            if (cuts.get(i).blocks(from, to)) {
                return true;
            }
        }
        return false;
    }

    private long spikeDelay(int from, int to) {
        long extra = 0;
        if (from != to) {
            for (int i = 0, n = spikes.size(); i < n; i++) {
                Spike spike = spikes.get(i);
                if (spike.from.contains(from) && spike.to.contains(to)) {
                    extra += spike.extraMicros;
                }
            }
        }
        return extra;
    }

    // ---------------------------------------------------------------- counters

    public long sent() {
        return sent;
    }

    public long delivered() {
        return delivered;
    }

    public long dropped() {
        long total = 0;
        for (long d : dropped) {
            total += d;
        }
        return total;
    }

    public long dropped(DropReason reason) {
        return dropped[reason.ordinal()];
    }

    /** Sent, neither delivered nor dropped yet. */
    public long inFlight() {
        return sent - delivered - dropped();
    }

    private static long key(int from, int to) {
        return ((long) from << 32) | (to & 0xFFFF_FFFFL);
    }

    private final class Delivery implements EventHandler {
        @Override
        public void onEvent(int target, int kind, long payload) {
            throw new IllegalStateException("a network delivery lost its message");
        }

        @Override
        public void onEvent(int to, int from, long incarnation, Object message) {
            if (isCut(from, to)) {
                drop(DropReason.PARTITION);
            } else if (!liveness.isUp(to) || liveness.incarnation(to) != incarnation) {
                drop(DropReason.STALE_INCARNATION);
            } else {
                delivered++;
                receiver.receive(from, to, message);
            }
        }
    }

    private record Cut(long id, NodeSet from, NodeSet to, boolean bothWays) {
        boolean blocks(int a, int b) {
            return (from.contains(a) && to.contains(b)) || (bothWays && from.contains(b) && to.contains(a));
        }
    }

    private record Spike(long id, NodeSet from, NodeSet to, long extraMicros) {
    }
}
