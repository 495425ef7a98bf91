package dev.chatlab.sim;

import dev.chatlab.sim.random.RandomStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The ladder queue must pop exactly what a {@link PriorityQueue} ordered by (time, seq) pops, on
 * any workload. Tiny tunings push a few thousand events through every tier: heap mode, spills,
 * rungs, split buckets, rebuilds from the top.
 */
class EventQueueProperties {

    enum Shape {
        /** Delays spread uniformly over a wide range. */
        UNIFORM,
        /** Exponential delays plus a lookahead, as in PHOLD. */
        PHOLD,
        /** Many events at a handful of distinct times. */
        TIES,
        /** Mostly short delays with rare enormous ones. */
        HEAVY_TAIL,
        /** Everything scheduled up front, then drained. */
        BULK
    }

    @Provide
    Arbitrary<EventQueue.Tuning> tunings() {
        return Arbitraries.of(
                EventQueue.DEFAULT_TUNING,
                new EventQueue.Tuning(0, 1, 1, 1, 1),
                new EventQueue.Tuning(2, 8, 3, 1, 2),
                new EventQueue.Tuning(4, 16, 8, 4, 2),
                new EventQueue.Tuning(16, 64, 4, 32, 1));
    }

    @Property
    void shouldPopInTheSameOrderAsAReferencePriorityQueue(@ForAll long seed, @ForAll Shape shape,
                                                         @ForAll("tunings") EventQueue.Tuning tuning,
                                                         @ForAll @IntRange(min = 1, max = 3_000) int operations) {
        runAgainstReference(seed, shape, tuning, operations);
    }

    @Example
    void shouldMatchTheReferenceWithDefaultTuningOnHundredsOfThousandsOfEvents() {
        runAgainstReference(11, Shape.PHOLD, EventQueue.DEFAULT_TUNING, 400_000);
        runAgainstReference(12, Shape.HEAVY_TAIL, EventQueue.DEFAULT_TUNING, 200_000);
        runAgainstReference(13, Shape.BULK, EventQueue.DEFAULT_TUNING, 100_000);
    }

    private static void runAgainstReference(long seed, Shape shape, EventQueue.Tuning tuning, int operations) {
        RandomStream random = new RandomStream(seed);
        EventQueue queue = new EventQueue(4, tuning);
        PriorityQueue<long[]> reference = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        List<Long> handles = new ArrayList<>();
        List<Integer> handleIds = new ArrayList<>();
        Set<Integer> cancelled = new HashSet<>();
        Set<Integer> pendingIds = new HashSet<>();
        long now = 0;
        int nextId = 0;
        int pending = 0;
        boolean bulk = shape == Shape.BULK;
        for (int op = 0; op < operations || pending > 0; op++) {
            boolean adding = op < operations && (bulk ? op < operations * 3 / 4 : random.nextDouble() < 0.55);
            if (adding) {
                long time = now + delay(shape, random);
                int id = nextId++;
                long handle = queue.add(time, 1, id, id % 5, id * 3L, (id & 7) == 0 ? "a" + id : null);
                reference.add(new long[] {time, id, id});
                handles.add(handle);
                handleIds.add(id);
                pendingIds.add(id);
                pending++;
            } else if (op < operations && random.nextDouble() < 0.1 && !handles.isEmpty()) {
                int pick = random.nextInt(handles.size());
                int id = handleIds.get(pick);
                boolean expectPending = pendingIds.contains(id);
                assertThat(queue.cancel(handles.get(pick))).as("cancel of event %d", id).isEqualTo(expectPending);
                if (expectPending) {
                    cancelled.add(id);
                    pendingIds.remove(id);
                    pending--;
                }
            } else {
                long[] expected = nextLive(reference, cancelled);
                long peeked = queue.peekTime();
                int slot = queue.poll();
                if (expected == null) {
                    assertThat(slot).isEqualTo(-1);
                    assertThat(peeked).isEqualTo(-1);
                    continue;
                }
                pending--;
                int id = (int) expected[2];
                pendingIds.remove(id);
                if (slot < 0 || peeked != expected[0] || queue.polledTime != expected[0] || queue.targetOf(slot) != id) {
                    fail(where(seed, op, id, expected) + ": queue gave " + (slot < 0 ? "nothing" : "event " + queue.targetOf(slot) + " at " + queue.polledTime)
                            + " (peek " + peeked + ")");
                }
                if (queue.kindOf(slot) != id % 5 || queue.payloadOf(slot) != id * 3L || queue.handlerOf(slot) != 1
                        || !Objects.equals(queue.takeAttachment(slot), (id & 7) == 0 ? "a" + id : null)) {
                    fail(where(seed, op, id, expected) + ": fields of the event were garbled");
                }
                now = expected[0];
            }
            if (queue.size() != pending) {
                fail("seed " + seed + ", operation " + op + ": size " + queue.size() + " but " + pending + " pending");
            }
        }
        assertThat(queue.poll()).isEqualTo(-1);
    }

    private static String where(long seed, int op, int id, long[] expected) {
        return "seed " + seed + ", operation " + op + ", expected event " + id + " at " + expected[0];
    }

    private static long[] nextLive(PriorityQueue<long[]> reference, Set<Integer> cancelled) {
        while (true) {
            long[] e = reference.poll();
            if (e == null || !cancelled.contains((int) e[2])) {
                return e;
            }
        }
    }

    private static long delay(Shape shape, RandomStream random) {
        switch (shape) {
            case UNIFORM:
                return random.nextLong(1_000_000);
            case PHOLD:
                return 100 + (long) (random.nextExponential() * 1_000);
            case TIES:
                return random.nextInt(4) * 1_000L;
            case HEAVY_TAIL:
                return random.nextDouble() < 0.01 ? random.nextLong(Simulation.MAX_TIME / 4) : random.nextInt(50);
            default:
                return random.nextLong(10_000);
        }
    }
}
