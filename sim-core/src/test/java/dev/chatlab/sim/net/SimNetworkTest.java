package dev.chatlab.sim.net;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.random.DelayDistribution;
import dev.chatlab.sim.random.RandomStreams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimNetworkTest {

    private final Simulation sim = new Simulation();
    private final FaultCounters faults = new FaultCounters();
    private final SimNetwork network = new SimNetwork(sim, RandomStreams.root(1).stream("network"), faults);
    private final List<String> received = new ArrayList<>();

    SimNetworkTest() {
        network.setDefaultLink(LinkProfile.of(DelayDistribution.constant(100)));
        network.setReceiver((from, to, message) -> received.add(sim.now() + ":" + from + "->" + to + ":" + message));
    }

    @Test
    void shouldDeliverTheMessageObjectAfterTheLinkLatency() {
        Object payload = new Object();
        List<Object> objects = new ArrayList<>();
        network.setReceiver((from, to, message) -> objects.add(message));
        sim.schedule(50, () -> network.send(0, 1, payload));

        sim.run();

        assertThat(objects).containsExactly(payload);
        assertThat(sim.now()).isEqualTo(150);
        assertThat(network.delivered()).isEqualTo(1);
    }

    @Test
    void shouldUseAPerLinkProfileOverTheDefault() {
        network.setLink(0, 1, LinkProfile.of(DelayDistribution.constant(5_000)));
        network.send(0, 1, "slow");
        network.send(1, 0, "fast");

        sim.run();

        assertThat(received).containsExactly("100:1->0:fast", "5000:0->1:slow");
    }

    @Test
    void shouldKeepOrderOnAnOrderedLinkWhateverTheLatencyDraws() {
        network.setDefaultLink(LinkProfile.of(DelayDistribution.uniform(0, 10_000)));
        List<Integer> order = new ArrayList<>();
        network.setReceiver((from, to, message) -> order.add((Integer) message));
        for (int i = 0; i < 200; i++) {
            int n = i;
            sim.schedule(i * 10L, () -> network.send(0, 1, n));
        }

        sim.run();

        assertThat(order).hasSize(200).isSorted();
    }

    @Test
    void shouldLetMessagesOvertakeOnAnUnorderedLink() {
        network.setDefaultLink(LinkProfile.of(DelayDistribution.uniform(0, 10_000)).unordered());
        List<Integer> order = new ArrayList<>();
        network.setReceiver((from, to, message) -> order.add((Integer) message));
        for (int i = 0; i < 200; i++) {
            int n = i;
            sim.schedule(i * 10L, () -> network.send(0, 1, n));
        }

        sim.run();

        assertThat(order).hasSize(200).isNotEqualTo(order.stream().sorted().toList());
    }

    @Test
    void shouldDropMessagesAcrossAPartitionInBothDirectionsUntilHealed() {
        long cut = network.partition(NodeSet.of(0, 1), NodeSet.of(2));
        assertThat(network.send(0, 2, "a")).isFalse();
        assertThat(network.send(2, 1, "b")).isFalse();
        assertThat(network.send(0, 1, "same side")).isTrue();

        assertThat(network.heal(cut)).isTrue();
        assertThat(network.send(0, 2, "after heal")).isTrue();
        sim.run();

        assertThat(received).containsExactly("100:0->1:same side", "100:0->2:after heal");
        assertThat(network.dropped(DropReason.PARTITION)).isEqualTo(2);
        assertThat(faults.count(FaultCounters.PARTITION)).isEqualTo(1);
        assertThat(faults.count(FaultCounters.HEAL)).isEqualTo(1);
        assertThat(network.heal(cut)).as("healing twice").isFalse();
    }

    @Test
    void shouldCutOnlyOneDirectionWithAOneWayCut() {
        network.cutOneWay(NodeSet.of(3), NodeSet.allExcept(3));

        assertThat(network.send(3, 0, "out")).isFalse();
        assertThat(network.send(0, 3, "in")).isTrue();
        assertThat(network.isCut(3, 7)).isTrue();
        assertThat(network.isCut(7, 3)).isFalse();
        assertThat(faults.count(FaultCounters.ONE_WAY_PARTITION)).isEqualTo(1);
    }

    @Test
    void shouldDropAMessageInFlightWhenAPartitionCutsItsLinkBeforeArrival() {
        network.send(0, 1, "doomed");
        sim.schedule(50, () -> network.isolate(1));

        sim.run();

        assertThat(received).isEmpty();
        assertThat(network.dropped(DropReason.PARTITION)).isEqualTo(1);
        assertThat(network.inFlight()).isZero();
    }

    @Test
    void shouldNeverCutANodeFromItself() {
        network.isolate(4);
        assertThat(network.send(4, 4, "loopback")).isTrue();
        network.healAll();
        assertThat(network.isCut(4, 0)).isFalse();
    }

    @Test
    void shouldLoseAboutTheConfiguredFractionOfMessages() {
        network.setDefaultLink(LinkProfile.of(DelayDistribution.constant(10)).withLoss(0.3));
        for (int i = 0; i < 20_000; i++) {
            network.send(0, 1, i);
        }
        sim.run();

        double lost = network.dropped(DropReason.LOSS) / 20_000.0;
        assertThat(lost).isCloseTo(0.3, within(0.02));
        assertThat(network.sent()).isEqualTo(network.delivered() + network.dropped());
    }

    @Test
    void shouldAddALatencySpikeToMatchingLinksOnlyUntilItEnds() {
        long spike = network.spikeLatency(NodeSet.of(0), NodeSet.all(), 900);
        network.send(0, 1, "spiked");
        network.send(1, 0, "reverse");
        sim.run();
        network.endSpike(spike);
        network.send(0, 1, "normal");
        sim.run();

        assertThat(received).containsExactly("100:1->0:reverse", "1000:0->1:spiked", "1100:0->1:normal");
        assertThat(faults.count(FaultCounters.LATENCY_SPIKE)).isEqualTo(1);
    }

    @Test
    void shouldRefuseMessagesToADownNodeAndDiscardThoseToACrashedIncarnation() {
        boolean[] up = {true, true};
        int[] incarnation = {0, 0};
        network.setLiveness(new Liveness() {
            @Override
            public boolean isUp(int node) {
                return up[node];
            }

            @Override
            public int incarnation(int node) {
                return incarnation[node];
            }
        });
        network.send(0, 1, "in flight");
        sim.schedule(10, () -> incarnation[1]++); // node 1 crashed and came back
        sim.run();
        up[1] = false;
        assertThat(network.send(0, 1, "refused")).isFalse();

        assertThat(received).isEmpty();
        assertThat(network.dropped(DropReason.STALE_INCARNATION)).isEqualTo(1);
        assertThat(network.dropped(DropReason.DESTINATION_DOWN)).isEqualTo(1);
        assertThat(network.sent()).isEqualTo(2);
    }

    @Test
    void shouldAccountForEveryMessageAtAnyTime() {
        network.setDefaultLink(LinkProfile.of(DelayDistribution.uniform(0, 1_000)).withLoss(0.1));
        network.partition(NodeSet.of(0), NodeSet.of(2));
        for (int i = 0; i < 1_000; i++) {
            network.send(i % 3, (i + 1) % 3, i);
        }
        sim.runUntil(500);

        assertThat(network.inFlight()).isPositive();
        assertThat(network.sent()).isEqualTo(network.delivered() + network.dropped() + network.inFlight());
    }
}
