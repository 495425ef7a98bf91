package dev.chatlab.sim.node;

import dev.chatlab.sim.Simulation;
import dev.chatlab.sim.fault.FaultCounters;
import dev.chatlab.sim.net.DropReason;
import dev.chatlab.sim.net.LinkProfile;
import dev.chatlab.sim.net.SimNetwork;
import dev.chatlab.sim.random.DelayDistribution;
import dev.chatlab.sim.random.RandomStreams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimNodesTest {

    private final Simulation sim = new Simulation();
    private final FaultCounters faults = new FaultCounters();
    private final SimNetwork network = new SimNetwork(sim, RandomStreams.root(3).stream("network"), faults);
    private final SimNodes nodes = new SimNodes(sim, network, RandomStreams.root(3).child("nodes"), faults);
    private final List<String> log = new ArrayList<>();

    SimNodesTest() {
        network.setDefaultLink(LinkProfile.of(DelayDistribution.constant(1_000)));
    }

    /** Counts what it sees; the count is volatile state, lost in a crash. */
    final class Recorder implements NodeProcess {
        int seen;

        @Override
        public void onStart(NodeContext ctx) {
            log.add(sim.now() + " start " + ctx.node() + "#" + ctx.incarnation());
        }

        @Override
        public void onMessage(int from, Object message, NodeContext ctx) {
            seen++;
            log.add(sim.now() + " " + ctx.node() + "#" + ctx.incarnation() + " got " + message + " from " + from + " (seen " + seen + ")");
        }

        @Override
        public void onTimer(Object timer, NodeContext ctx) {
            log.add(sim.now() + " " + ctx.node() + "#" + ctx.incarnation() + " timer " + timer);
        }

        @Override
        public void onDiskDone(Object tag, NodeContext ctx) {
            log.add(sim.now() + " " + ctx.node() + "#" + ctx.incarnation() + " disk " + tag);
        }
    }

    @Test
    void shouldStartNodesAndCarryMessagesBetweenThem() {
        int a = nodes.add((node, inc) -> new Recorder());
        int b = nodes.add((node, inc) -> new Recorder());
        nodes.startAll();
        nodes.context(a).send(b, "hello");

        sim.run();

        assertThat(log).containsExactly("0 start 0#0", "0 start 1#0", "1000 1#0 got hello from 0 (seen 1)");
        assertThat(faults.total()).as("a first start is not a fault").isZero();
    }

    @Test
    void shouldDiscardTimersOfACrashedIncarnationEvenAfterRestart() {
        int a = nodes.add((node, inc) -> new Recorder());
        nodes.start(a);
        nodes.context(a).setTimerAfter(5_000, "old");
        sim.schedule(1_000, () -> nodes.crash(a));
        sim.schedule(2_000, () -> {
            nodes.restart(a);
            nodes.context(a).setTimerAfter(4_000, "new");
        });

        sim.run();

        assertThat(log).containsExactly("0 start 0#0", "2000 start 0#1", "6000 0#1 timer new");
        assertThat(nodes.staleTimers()).isEqualTo(1);
        assertThat(faults.count(FaultCounters.CRASH)).isEqualTo(1);
        assertThat(faults.count(FaultCounters.RESTART)).isEqualTo(1);
    }

    @Test
    void shouldDiscardMessagesInFlightToACrashedIncarnation() {
        int a = nodes.add((node, inc) -> new Recorder());
        int b = nodes.add((node, inc) -> new Recorder());
        nodes.startAll();
        nodes.context(a).send(b, "lost");
        sim.schedule(100, () -> nodes.crashFor(b, 200));
        sim.schedule(500, () -> nodes.context(a).send(b, "arrives"));

        sim.run();

        assertThat(log).containsExactly("0 start 0#0", "0 start 1#0", "300 start 1#1", "1500 1#1 got arrives from 0 (seen 1)");
        assertThat(network.dropped(DropReason.STALE_INCARNATION)).isEqualTo(1);
    }

    @Test
    void shouldLoseVolatileStateInACrash() {
        int a = nodes.add((node, inc) -> new Recorder());
        int b = nodes.add((node, inc) -> new Recorder());
        nodes.startAll();
        nodes.context(a).send(b, "one");
        nodes.context(a).send(b, "two");
        sim.run();
        assertThat(((Recorder) nodes.process(b)).seen).isEqualTo(2);

        nodes.crash(b);
        assertThat(nodes.process(b)).isNull();
        assertThat(nodes.isUp(b)).isFalse();
        nodes.restart(b);

        assertThat(((Recorder) nodes.process(b)).seen).isZero();
        assertThat(nodes.incarnation(b)).isEqualTo(1);
    }

    @Test
    void shouldMakeTheContextOfADeadIncarnationInert() {
        int a = nodes.add((node, inc) -> new Recorder());
        int b = nodes.add((node, inc) -> new Recorder());
        nodes.startAll();
        NodeContext zombie = nodes.context(a);
        nodes.crash(a);
        nodes.restart(a);

        assertThat(zombie.isCurrent()).isFalse();
        assertThat(zombie.send(b, "from the grave")).isFalse();
        assertThat(zombie.setTimerAfter(10, "t")).isEqualTo(Simulation.NO_TIMER);
        assertThat(zombie.write(10, "w")).isEqualTo(-1);
        sim.run();
        assertThat(network.sent()).isZero();
        assertThat(log).noneMatch(line -> line.contains("grave") || line.contains("timer"));
    }

    @Test
    void shouldRefuseMessagesToADownNode() {
        int a = nodes.add((node, inc) -> new Recorder());
        int b = nodes.add((node, inc) -> new Recorder());
        nodes.startAll();
        nodes.crash(b);

        assertThat(nodes.context(a).send(b, "nobody home")).isFalse();
        assertThat(network.dropped(DropReason.DESTINATION_DOWN)).isEqualTo(1);
    }

    @Test
    void shouldCancelATimer() {
        int a = nodes.add((node, inc) -> new Recorder());
        nodes.start(a);
        long timer = nodes.context(a).setTimerAfter(100, "never");

        assertThat(nodes.context(a).cancelTimer(timer)).isTrue();
        sim.run();
        assertThat(log).containsExactly("0 start 0#0");
    }

    @Test
    void shouldCompleteDiskRequestsInOrderAndDropThoseOfADeadIncarnation() {
        nodes.setDefaultDisk(new DiskProfile(DelayDistribution.constant(100), DelayDistribution.constant(50),
                DelayDistribution.constant(1_000), 1_000_000));
        int a = nodes.add((node, inc) -> new Recorder());
        nodes.start(a);
        NodeContext ctx = nodes.context(a);
        assertThat(ctx.write(1_000, "w1")).isEqualTo(1_100); // 100 us + 1000 bytes at 1 MB/s
        assertThat(ctx.fsync("sync")).isEqualTo(2_100);
        ctx.write(0, "w2");
        sim.schedule(2_150, () -> nodes.crash(a));

        sim.run();

        assertThat(log).containsExactly("0 start 0#0", "1100 0#0 disk w1", "2100 0#0 disk sync");
        assertThat(nodes.staleDiskCompletions()).isEqualTo(1);
        assertThat(nodes.disk(a).lostBytes()).isZero();
    }

    @Test
    void shouldFireTimersByTheNodesOwnClock() {
        int a = nodes.add((node, inc) -> new Recorder());
        nodes.clock(a).configure(0, 100_000); // runs 10% fast
        nodes.start(a);
        nodes.context(a).setTimerAfter(11_000, "local 11ms");

        sim.run();

        assertThat(log).containsExactly("0 start 0#0", "10000 0#0 timer local 11ms");
    }

    @Test
    void shouldGiveEachNodeTheDefaultDiskOfWhenItWasAddedAndTrueTimeUntilItsClockIsSkewed() {
        DiskProfile first = DiskProfile.hdd();
        nodes.setDefaultDisk(first);
        int a = nodes.add((node, inc) -> new Recorder());
        nodes.setDefaultDisk(DiskProfile.ssd());
        int b = nodes.add((node, inc) -> new Recorder());
        nodes.startAll();
        sim.runUntil(5_000);

        assertThat(nodes.disk(a).profile()).isSameAs(first);
        assertThat(nodes.disk(b).profile()).isNotSameAs(first);
        assertThat(nodes.context(a).nowMicros()).isEqualTo(5_000);
        nodes.clock(a).injectSkew(-1_000);
        assertThat(nodes.context(a).nowMicros()).isEqualTo(4_000);
    }

    @Test
    void shouldRejectLifecycleMisuse() {
        int a = nodes.add((node, inc) -> new Recorder());
        assertThatThrownBy(() -> nodes.crash(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> nodes.restart(a)).isInstanceOf(IllegalStateException.class);
        nodes.start(a);
        assertThatThrownBy(() -> nodes.start(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> nodes.restart(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> nodes.clock(5)).isInstanceOf(IllegalArgumentException.class);
    }
}
