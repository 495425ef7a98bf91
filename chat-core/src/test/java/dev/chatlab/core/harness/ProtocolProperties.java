package dev.chatlab.core.harness;

import dev.chatlab.core.client.ClientConfig;
import dev.chatlab.core.client.UserAction;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.server.ServerConfig;
import dev.chatlab.core.strategy.FanOut;
import dev.chatlab.core.strategy.Ownership;
import dev.chatlab.core.strategy.Routing;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of sends, reads, typing, reconnects, membership changes and node crashes
 * and restarts, run on the in-memory cluster with the strong strategies (owner counter with
 * fencing; push or hybrid fan-out; direct or pub/sub routing), and with chats pinned to home
 * nodes; and, in scripts of their own, links between nodes cut for a moment too short for
 * membership to notice. Whatever the interleaving, the recorded history must keep per-device order,
 * have no duplicates, deliver every acknowledged message by the end to every device owed it that is
 * live after the quiesce (connected through it, not only reconnected after it), and never move a
 * receipt backwards; and every try must have acknowledged, delivered and owed something.
 * Tries come from {@code jqwik.tries.default} (400 in the build, -Djqwik.tries=N for more); jqwik prints the seed of a failure.
 */
class ProtocolProperties {

    static final String[][] DEVICES = {{"u1", "a"}, {"u1", "b"}, {"u2", "a"}, {"u3", "a"}, {"u3", "b"}, {"u4", "a"}};
    static final String[] USERS = {"u1", "u2", "u3", "u4"};
    static final String[] CHATS = {"c1", "c2", "c3"};
    static final String[] NODES = {"n1", "n2", "n3"};

    sealed interface Step {
    }

    record SendStep(int device, int chat) implements Step {
    }

    record ReadStep(int device, int chat) implements Step {
    }

    record TypeStep(int device, int chat) implements Step {
    }

    record OfflineStep(int device) implements Step {
    }

    record OnlineStep(int device) implements Step {
    }

    record MemberStep(int actor, int chat, int user, boolean add) implements Step {
    }

    record CrashStep(int node) implements Step {
    }

    record RestartStep(int node) implements Step {
    }

    /** The links between two nodes are lost for a moment too short for membership to notice. */
    record CutStep(int node, int other, long forMicros) implements Step {
    }

    record Timed(long gapMicros, Step step) {
    }

    /**
     * The generation seed is pinned so that CI judges the same cases every run and a red build
     * always means a regression; {@code ProtocolExploration} runs the same properties from fresh
     * seeds (mvn -pl chat-core test -Dtest=ProtocolExploration -Djqwik.tries=10000).
     */
    static final String PINNED_SEED = "7";

    @Property(seed = PINNED_SEED)
    void pushFanOutDirectRoutingKeepsTheInvariants(@ForAll("scripts") List<Timed> script, @ForAll("seeds") long seed) {
        assertInvariantsHold(ServerConfig.defaults().withFanOut(FanOut.push()).withRouting(Routing.DIRECT), script, seed);
    }

    @Property(seed = PINNED_SEED)
    void hybridFanOutPubSubRoutingKeepsTheInvariants(@ForAll("scripts") List<Timed> script, @ForAll("seeds") long seed) {
        assertInvariantsHold(ServerConfig.defaults().withFanOut(FanOut.hybrid(2)).withRouting(Routing.PUBSUB), script, seed);
    }

    /** Chats pinned to a home node with a store of its own: a dead home's chats wait for its restart. */
    @Property(seed = PINNED_SEED)
    void pinnedHomesKeepTheInvariants(@ForAll("scripts") List<Timed> script, @ForAll("seeds") long seed) {
        assertInvariantsHold(ServerConfig.defaults().withFanOut(FanOut.push())
                .withOwnership(Ownership.pinnedHome(List.of(NODES))), script, seed);
    }

    /**
     * Pushes, receipts and requests lost on links cut too briefly for membership to notice: devices
     * that stay connected must still get every message (the owner's catch-up, the device's own
     * evidence and sync retries), without a reconnect.
     */
    @Property(seed = PINNED_SEED)
    void pushFanOutWithCutLinksKeepsTheInvariants(@ForAll("scriptsWithCuts") List<Timed> script, @ForAll("seeds") long seed) {
        assertInvariantsHold(ServerConfig.defaults().withFanOut(FanOut.push()).withRouting(Routing.DIRECT), script, seed);
    }

    @Property(seed = PINNED_SEED)
    void hybridFanOutPubSubRoutingWithCutLinksKeepsTheInvariants(@ForAll("scriptsWithCuts") List<Timed> script,
                                                                 @ForAll("seeds") long seed) {
        assertInvariantsHold(ServerConfig.defaults().withFanOut(FanOut.hybrid(2)).withRouting(Routing.PUBSUB), script, seed);
    }

    @Property(seed = PINNED_SEED)
    void pinnedHomesWithCutLinksKeepTheInvariants(@ForAll("scriptsWithCuts") List<Timed> script, @ForAll("seeds") long seed) {
        assertInvariantsHold(ServerConfig.defaults().withFanOut(FanOut.push())
                .withOwnership(Ownership.pinnedHome(List.of(NODES))), script, seed);
    }

    static void assertInvariantsHold(ServerConfig config, List<Timed> script, long seed) {
        List<HistoryEvent> history = run(config, ClientConfig.defaults(), script, seed);
        HistoryJudge judge = HistoryJudge.judge(history);
        assertThat(judge.problems)
                .as("seed=%d, %d events; history:%n%s", seed, history.size(), render(history))
                .isEmpty();
        // Every script opens with a send to c2, whose members all have a device online at the end:
        // a try that acknowledged or delivered nothing, or owed no device anything, proved nothing.
        assertThat(List.of(judge.acks, judge.delivers, judge.owed))
                .as("seed=%d: acks, deliveries, (message, live device) pairs judged; history:%n%s", seed, render(history))
                .allMatch(n -> n > 0);
    }

    static List<HistoryEvent> run(ServerConfig config, ClientConfig clientConfig, List<Timed> script, long seed) {
        List<HistoryEvent> history = new ArrayList<>();
        var cluster = new InMemoryCluster(seed, config, clientConfig, history::add);
        cluster.addNodes(NODES);
        for (String[] d : DEVICES) {
            cluster.addDevice(d[0], d[1]);
        }
        cluster.seedChat("c1", List.of("u1", "u2", "u3"));
        cluster.seedChat("c2", List.of("u1", "u2", "u3", "u4"));
        cluster.seedChat("c3", List.of("u2", "u4"));
        for (String[] d : DEVICES) {
            cluster.act(0, d[0], d[1], new UserAction.GoOnline());
        }
        long t = 50_000;
        int message = 0;
        // Acknowledged before any step of the script can remove u1 or take a node down.
        cluster.act(20_000, "u1", "a", new UserAction.SendMessage("c2", "u1-a-0", "m"));
        for (Timed timed : script) {
            t += timed.gapMicros();
            Step step = timed.step();
            if (step instanceof SendStep s) {
                String[] d = DEVICES[s.device()];
                cluster.act(t, d[0], d[1], new UserAction.SendMessage(CHATS[s.chat()], d[0] + "-" + d[1] + "-" + (++message), "m"));
            } else if (step instanceof ReadStep r) {
                String[] d = DEVICES[r.device()];
                cluster.act(t, d[0], d[1], new UserAction.ReadChat(CHATS[r.chat()]));
            } else if (step instanceof TypeStep ty) {
                String[] d = DEVICES[ty.device()];
                cluster.act(t, d[0], d[1], new UserAction.Type(CHATS[ty.chat()]));
            } else if (step instanceof OfflineStep o) {
                String[] d = DEVICES[o.device()];
                cluster.act(t, d[0], d[1], new UserAction.GoOffline());
            } else if (step instanceof OnlineStep o) {
                String[] d = DEVICES[o.device()];
                cluster.act(t, d[0], d[1], new UserAction.GoOnline());
            } else if (step instanceof MemberStep m) {
                String[] d = DEVICES[m.actor()];
                cluster.act(t, d[0], d[1], new UserAction.ChangeMembership(CHATS[m.chat()], USERS[m.user()],
                        m.add() ? MemberOp.ADD : MemberOp.REMOVE));
            } else if (step instanceof CrashStep c) {
                cluster.crash(t, NODES[c.node()]);
            } else if (step instanceof RestartStep r) {
                cluster.restart(t, NODES[r.node()]);
            } else if (step instanceof CutStep c && c.node() != c.other()) {
                cluster.cut(t, NODES[c.node()], NODES[c.other()], c.forMicros());
            }
        }
        cluster.quiesce(t + 100_000);
        cluster.runUntil(t + 100_000 + 20_000_000);
        return history;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<List<Timed>> scripts() {
        return scriptsOf(false);
    }

    /**
     * Scripts with links cut for a moment (lost peer messages, no view change), where membership
     * only grows and no node restarts: a removal waits for every node's answer and every device's
     * confirmation, and a node that joins waits for every other node's directory; a cut that loses
     * one of those blocks the chat (or the node) for good. Those peer messages have no
     * retransmission yet: a known gap, outside what the catch-up covers (see docs/protocol.md).
     */
    @Provide
    Arbitrary<List<Timed>> scriptsWithCuts() {
        return scriptsOf(true);
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<List<Timed>> scriptsOf(boolean cuts) {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, DEVICES.length - 1);
        Arbitrary<Integer> chat = Arbitraries.integers().between(0, CHATS.length - 1);
        Arbitrary<Integer> user = Arbitraries.integers().between(0, USERS.length - 1);
        Arbitrary<Integer> node = Arbitraries.integers().between(0, NODES.length - 1);
        Arbitrary<Boolean> add = cuts ? Arbitraries.just(true) : Arbitraries.of(true, false);
        List<Tuple.Tuple2<Integer, Arbitrary<Step>>> steps = new ArrayList<>(List.of(
                Tuple.of(10, Combinators.combine(device, chat).as(SendStep::new)),
                Tuple.of(3, Combinators.combine(device, chat).as(ReadStep::new)),
                Tuple.of(1, Combinators.combine(device, chat).as(TypeStep::new)),
                Tuple.of(2, device.map(OfflineStep::new)),
                Tuple.of(2, device.map(OnlineStep::new)),
                Tuple.of(2, Combinators.combine(device, chat, user, add).as(MemberStep::new))));
        if (cuts) {
            steps.add(Tuple.of(3, Combinators.combine(node, node, Arbitraries.longs().between(1_000, 400_000)).as(CutStep::new)));
        } else {
            steps.add(Tuple.of(1, node.map(CrashStep::new)));
            steps.add(Tuple.of(1, node.map(RestartStep::new)));
        }
        Arbitrary<Step> step = Arbitraries.frequencyOf(steps.toArray(Tuple.Tuple2[]::new));
        Arbitrary<Long> gap = Arbitraries.longs().between(0, 60_000);
        return Combinators.combine(gap, step).as(Timed::new).list().ofMinSize(1).ofMaxSize(40);
    }

    static String render(List<HistoryEvent> history) {
        StringBuilder text = new StringBuilder();
        for (HistoryEvent e : history) {
            text.append(e).append('\n');
        }
        return text.toString();
    }
}
