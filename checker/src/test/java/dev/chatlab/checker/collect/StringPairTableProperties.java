package dev.chatlab.checker.collect;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Short keys are compared inside the tables' slots, long or non-Latin-1 ones in the arena: ids must not tell. */
class StringPairTableProperties {

    /** Pairs that differ only in where they split, in a NUL, in length or in alphabet. */
    private static final List<List<String>> PAIRS = List.of(
            List.of("ab", "c"), List.of("a", "bc"), List.of("abc", ""), List.of("", "abc"),
            List.of("a", "b"), List.of("a", "b\0"), List.of("a\0", "b"), List.of("user12345", "phone"),
            List.of("user12345", "laptop"), List.of("user123456", "laptop"), List.of("user1234567", "tablet"),
            List.of("\u00e9lodie", "phone"), List.of("\u0101lodie", "phone"), List.of("x".repeat(40), "phone"),
            List.of("x".repeat(40), "phone!"), List.of("", ""));

    @Property
    void shouldHandOutOneIdPerPairWhateverItsShape(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 15) Integer> picks) {
        StringPairTable table = new StringPairTable(2);
        Map<List<String>, Integer> reference = new HashMap<>();
        for (int pick : picks) {
            List<String> pair = PAIRS.get(pick);
            int id = table.intern(new String(pair.get(0)), new String(pair.get(1)));
            assertThat(id).as("%s", pair).isEqualTo(reference.computeIfAbsent(pair, x -> reference.size()));
            assertThat(table.first(id)).isEqualTo(pair.get(0));
            assertThat(table.second(id)).isEqualTo(pair.get(1));
        }
        assertThat(table.size()).isEqualTo(reference.size());
    }

    @Property
    void shouldKeepAnAttachmentWithItsPair(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 15) Integer> picks) {
        StringPairTable table = new StringPairTable(2);
        for (int pick : picks) {
            List<String> pair = PAIRS.get(pick);
            int before = table.size();
            int id = table.intern(pair.get(0), pair.get(1));
            if (id == before) {
                table.attach(1000 + pick);
            }
            assertThat(table.attachment()).isEqualTo(1000 + pick);
        }
    }

    private static final List<String> NAMES = List.of(
            "a", "a\0", "", "m1", "user12345", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
            "abcdefghijklmnoq", "\u00e9", "\u0101", "x".repeat(40), "x".repeat(41), "group7", "dm7");

    @Property
    void shouldHandOutOneIdPerKeyWhateverItsShape(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 47) Integer> picks) {
        StringTable table = new StringTable(2);
        Map<String, Integer> reference = new HashMap<>();
        for (int pick : picks) {
            String name = NAMES.get(pick % 16);
            long prefix = pick / 16;
            int id = table.intern(prefix, new String(name));
            assertThat(id).isEqualTo(reference.computeIfAbsent(prefix + "|" + name, x -> reference.size()));
            assertThat(table.find(prefix, new String(name))).isEqualTo(id);
            assertThat(table.name(id)).isEqualTo(name);
        }
        assertThat(table.find(7, "a")).isEqualTo(-1);
        assertThat(table.size()).isEqualTo(reference.size());
    }
}
