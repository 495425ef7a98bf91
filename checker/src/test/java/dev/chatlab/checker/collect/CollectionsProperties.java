package dev.chatlab.checker.collect;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written tables agree with java.util.HashMap on any sequence of operations. */
class CollectionsProperties {

    @Property
    void longKeyedMapsAgreeWithHashMap(@ForAll @Size(max = 300) List<@IntRange(min = -40, max = 40) Integer> keys) {
        LongIntMap ints = new LongIntMap(2);
        LongLongMap longs = new LongLongMap(2);
        Map<Long, Integer> reference = new HashMap<>();
        int step = 0;
        for (int k : keys) {
            long key = k * 0x9E3779B97F4AL;
            // 0 and the largest int among the values: an encoding of empty slots must not take either for one.
            int value = step++ % 3 == 0 ? 0 : step % 3 == 1 ? Integer.MAX_VALUE : step;
            ints.put(key, value);
            longs.put(key, value);
            reference.put(key, value);
        }
        for (int k = -41; k <= 41; k++) {
            long key = k * 0x9E3779B97F4AL;
            assertThat(ints.get(key)).isEqualTo(reference.getOrDefault(key, LongIntMap.MISSING));
            assertThat(longs.get(key, -7)).isEqualTo(reference.containsKey(key) ? reference.get(key) : -7L);
            assertThat(longs.containsKey(key)).isEqualTo(reference.containsKey(key));
        }
        assertThat(ints.size()).isEqualTo(reference.size());
        assertThat(longs.size()).isEqualTo(reference.size());
    }

    @Property
    void stringTableHandsOutDenseIdsOncePerPair(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 60) Integer> keys) {
        StringTable table = new StringTable(2);
        StringPairTable pairs = new StringPairTable(2);
        Map<String, Integer> reference = new HashMap<>();
        for (int k : keys) {
            long prefix = k % 3;
            String name = "n" + (k / 3);
            int id = table.intern(prefix, new String(name));
            int expected = reference.computeIfAbsent(prefix + "|" + name, x -> reference.size());
            assertThat(id).isEqualTo(expected);
            assertThat(table.find(prefix, name)).isEqualTo(id);
            assertThat(table.name(id)).isEqualTo(name);
            assertThat(table.prefix(id)).isEqualTo(prefix);
            assertThat(pairs.intern("u" + prefix, new String(name))).isEqualTo(id);
        }
        assertThat(table.find(99, "n0")).isEqualTo(-1);
        assertThat(table.size()).isEqualTo(reference.size());
    }

    @Property
    void intLongIndexKeepsTheFirstValue(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 50) Integer> keys) {
        IntLongIndex index = new IntLongIndex(2);
        Map<String, Integer> reference = new HashMap<>();
        int value = 0;
        for (int k : keys) {
            int chat = k % 4;
            long seq = 1_786_000_000_000_000L + k;
            int held = index.putIfAbsent(chat, seq, value);
            Integer first = reference.putIfAbsent(chat + "|" + seq, value);
            assertThat(held).isEqualTo(first == null ? value : first);
            value++;
        }
        for (Map.Entry<String, Integer> entry : reference.entrySet()) {
            String[] parts = entry.getKey().split("\\|");
            assertThat(index.get(Integer.parseInt(parts[0]), Long.parseLong(parts[1]))).isEqualTo(entry.getValue());
        }
        assertThat(index.get(9, 1)).isEqualTo(IntLongIndex.MISSING);
    }

    @Property
    void logHistogramPercentilesAreWithinOneSixtyFourthAbove(@ForAll @Size(min = 1, max = 500) List<@IntRange(min = 0, max = 5_000_000) Integer> values) {
        LogHistogram histogram = new LogHistogram();
        values.forEach(histogram::record);
        long[] sorted = values.stream().mapToLong(Integer::longValue).sorted().toArray();
        for (double percent : new double[] {1, 50, 90, 99, 100}) {
            long exact = sorted[(int) Math.max(0, Math.ceil(percent / 100 * sorted.length) - 1)];
            long reported = histogram.percentile(percent);
            assertThat(reported).isBetween(exact, exact + exact / 64 + 1);
        }
        assertThat(histogram.max()).isEqualTo(sorted[sorted.length - 1]);
        assertThat(histogram.count()).isEqualTo(values.size());
    }

    @Property
    void seqSetAgreesWithATreeSet(@ForAll @Size(max = 400) List<@IntRange(min = 1, max = 5000) Integer> steps,
                                  @ForAll boolean snowflake) {
        SeqSet set = new SeqSet();
        java.util.TreeSet<Long> reference = new java.util.TreeSet<>();
        long value = snowflake ? 1_786_000_000_000_000L : 0;
        for (int step : steps) {
            // Mostly increasing with gaps; every seventh value goes back (out of order) or repeats.
            long next = step % 7 == 0 ? Math.max(1, value - step) : value + (snowflake ? step * 4_194_304L : step % 3 + 1);
            set.add(next);
            reference.add(next);
            value = Math.max(value, next);
        }
        for (long probe : reference) {
            assertThat(set.contains(probe)).as("contains %d", probe).isTrue();
            assertThat(set.contains(probe + 1)).isEqualTo(reference.contains(probe + 1));
        }
        assertThat(set.contains(value + 1)).isFalse();
    }

    @Property
    void seqSetKeepsHugeGapsExact(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 1, max = 1000) Integer> steps) {
        SeqSet set = new SeqSet();
        long value = 1;
        java.util.List<Long> added = new java.util.ArrayList<>();
        for (int step : steps) {
            value += (Long.MAX_VALUE / 4000) * step;  // deltas that need nine varint bytes
            set.add(value);
            added.add(value);
        }
        for (long v : added) {
            assertThat(set.contains(v)).isTrue();
            assertThat(set.contains(v - 1)).isFalse();
        }
    }

    @Property
    void longPairMapAgreesWithHashMap(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 80) Integer> keys) {
        LongPairMap map = new LongPairMap(2);
        Map<Long, long[]> reference = new HashMap<>();
        long n = 0;
        for (int k : keys) {
            n++;
            map.put(k, n, -n);
            reference.put((long) k, new long[] {n, -n});
        }
        for (long k = 0; k <= 81; k++) {
            long[] expected = reference.get(k);
            assertThat(map.first(k, 0)).isEqualTo(expected == null ? 0 : expected[0]);
            assertThat(map.second(k, 0)).isEqualTo(expected == null ? 0 : expected[1]);
        }
        assertThat(map.size()).isEqualTo(reference.size());
    }
}
