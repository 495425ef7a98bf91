package dev.chatlab.sim;

import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.net.LinkProfile;
import dev.chatlab.sim.net.NodeSet;
import dev.chatlab.sim.net.SimNetwork;
import dev.chatlab.sim.node.NodeContext;
import dev.chatlab.sim.node.NodeProcess;
import dev.chatlab.sim.node.SimNodes;
import dev.chatlab.sim.random.DelayDistribution;
import dev.chatlab.sim.random.RandomStream;
import dev.chatlab.sim.random.RandomStreams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small world using every part of the kernel (random gossip over a lossy, jittery network,
 * timers, disks, clock skew, partitions, crashes and restarts drawn from the seed) must replay
 * exactly from its seed, and a different seed must give a different run.
 */
class DeterminismTest {

    record Outcome(long traceDigest, long events, List<String> deliveries, String faults, long delivered, long dropped) {
    }

    /** Gossips a counter to random peers on a timer, writing each message to disk first. */
    static final class Gossip implements NodeProcess {
        private final int peers;
        private final List<String> deliveries;
        private long counter;

        Gossip(int peers, List<String> deliveries) {
            this.peers = peers;
            this.deliveries = deliveries;
        }

        @Override
        public void onStart(NodeContext ctx) {
            ctx.setTimerAfter(ctx.random().nextLong(10_000), "tick");
        }

        @Override
        public void onTimer(Object timer, NodeContext ctx) {
            counter++;
            ctx.write(256, counter);
            ctx.setTimerAfter(5_000 + ctx.random().nextLong(10_000), "tick");
        }

        @Override
        public void onDiskDone(Object tag, NodeContext ctx) {
            ctx.send(ctx.random().nextInt(peers), ctx.node() + ":" + tag + "@" + ctx.nowMicros());
        }

        @Override
        public void onMessage(int from, Object message, NodeContext ctx) {
            deliveries.add(ctx.trueNowMicros() + " " + ctx.node() + "#" + ctx.incarnation() + " <- " + message);
        }
    }

    static Outcome runWorld(long seed) {
        Simulation sim = new Simulation();
        TraceDigest digest = new TraceDigest();
        sim.setTracer(digest);
        RandomStreams random = RandomStreams.root(seed);
        FaultCounters faults = new FaultCounters();
        SimNetwork network = new SimNetwork(sim, random.stream("network"), faults);
        network.setDefaultLink(LinkProfile.of(DelayDistribution.logNormal(800, 0.5))
                .withJitter(DelayDistribution.uniform(0, 300)).withLoss(0.02));
        SimNodes nodes = new SimNodes(sim, network, random.child("nodes"), faults);
        List<String> deliveries = new ArrayList<>();
        int n = 6;
        for (int i = 0; i < n; i++) {
            nodes.add((node, incarnation) -> new Gossip(n, deliveries));
        }
        nodes.startAll();

        RandomStream chaos = random.stream("chaos");
        for (int k = 0; k < 12; k++) {
            long at = SimTime.millis(50) + chaos.nextLong(SimTime.millis(900));
            int victim = chaos.nextInt(n);
            int fault = chaos.nextInt(4);
            sim.schedule(at, () -> {
                if (fault == 0 && nodes.isUp(victim)) {
                    nodes.crashFor(victim, SimTime.millis(30));
                } else if (fault == 1) {
                    long cut = network.partition(NodeSet.of(victim), NodeSet.allExcept(victim));
                    sim.after(SimTime.millis(40), () -> network.heal(cut));
                } else if (fault == 2) {
                    nodes.clock(victim).injectSkew(chaos.nextLong(SimTime.seconds(2)) - SimTime.seconds(1));
                } else {
                    nodes.disk(victim).slowDown(1 + chaos.nextInt(20));
                }
            });
        }
        sim.runUntil(SimTime.seconds(1));
        return new Outcome(digest.value(), digest.events(), deliveries, faults.snapshot().toString(),
                network.delivered(), network.dropped());
    }

    @Test
    void shouldReplayTheSameRunFromTheSameSeed() {
        Outcome first = runWorld(2026);
        Outcome second = runWorld(2026);

        assertThat(first.events()).isGreaterThan(1_000);
        assertThat(first.deliveries()).hasSizeGreaterThan(300);
        assertThat(first.faults()).contains("crash", "partition");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldGiveADifferentRunForADifferentSeed() {
        Outcome a = runWorld(2026);
        Outcome b = runWorld(2027);

        assertThat(b.traceDigest()).isNotEqualTo(a.traceDigest());
        assertThat(b.deliveries()).isNotEqualTo(a.deliveries());
    }
}
