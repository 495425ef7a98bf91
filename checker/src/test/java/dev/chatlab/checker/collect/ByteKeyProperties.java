package dev.chatlab.checker.collect;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys are found by their bytes wherever they lie in a buffer (short ones read eight bytes at a
 * time, or byte by byte near the buffer's end): where a key lies must not change its id, nor
 * whether it was packed first ({@link PackedKey}, as a batch of events does) or not.
 */
class ByteKeyProperties {

    private static final List<String> NAMES = List.of(
            "a", "", "m1", "user12345", "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
            "\u00e9lodie", "\u2615", "x".repeat(40), "phone", "laptop", "dm7", "group7", "abcdefghijklmno");

    @Property
    void shouldFindAKeyByItsBytesWhereverTheyLie(
            @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 15) Integer> picks,
            @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 20) Integer> before,
            @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 20) Integer> after,
            @ForAll @Size(max = 100) List<Boolean> packFirst) {
        StringTable table = new StringTable(2);
        PackedKey packed = new PackedKey();
        Map<String, Integer> reference = new HashMap<>();
        for (int i = 0; i < picks.size(); i++) {
            String name = NAMES.get(picks.get(i));
            byte[] key = name.getBytes(StandardCharsets.UTF_8);
            int from = i < before.size() ? before.get(i) : 3;
            byte[] buffer = filled(from + key.length + (i < after.size() ? after.get(i) : 0));
            System.arraycopy(key, 0, buffer, from, key.length);
            int id;
            if (i < packFirst.size() && packFirst.get(i)) {
                table.pack(packed, 7, buffer, from, key.length);
                id = table.intern(packed, 7, buffer, from, key.length);
            } else {
                id = table.intern(7, buffer, from, key.length);
            }
            assertThat(id).as(name).isEqualTo(reference.computeIfAbsent(name, x -> reference.size()));
            assertThat(table.find(7, name)).isEqualTo(id);
            assertThat(table.find(8, buffer, from, key.length)).isEqualTo(-1);
            assertThat(table.name(id)).isEqualTo(name);
        }
    }

    @Property
    void shouldFindAPairByItsBytesWhereverTheyLie(
            @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 255) Integer> picks,
            @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 20) Integer> gaps,
            @ForAll @Size(max = 100) List<Boolean> packFirst) {
        StringPairTable table = new StringPairTable(2);
        PackedKey packed = new PackedKey();
        Map<String, Integer> reference = new HashMap<>();
        for (int i = 0; i < picks.size(); i++) {
            String first = NAMES.get(picks.get(i) / 16);
            String second = NAMES.get(picks.get(i) % 16);
            byte[] a = first.getBytes(StandardCharsets.UTF_8);
            byte[] b = second.getBytes(StandardCharsets.UTF_8);
            int gap = i < gaps.size() ? gaps.get(i) : 1;
            // The second string first in the buffer, the first one last, at its very end.
            byte[] buffer = filled(b.length + gap + a.length);
            System.arraycopy(b, 0, buffer, 0, b.length);
            System.arraycopy(a, 0, buffer, b.length + gap, a.length);
            int id;
            if (i < packFirst.size() && packFirst.get(i)) {
                table.pack(packed, buffer, b.length + gap, a.length, 0, b.length);
                id = table.intern(packed, buffer, b.length + gap, a.length, 0, b.length);
            } else {
                id = table.intern(buffer, b.length + gap, a.length, 0, b.length);
            }
            assertThat(id).as("%s/%s", first, second)
                    .isEqualTo(reference.computeIfAbsent(first + "\0" + second, x -> reference.size()));
            assertThat(table.intern(first, second)).isEqualTo(id);
            assertThat(table.first(id)).isEqualTo(first);
            assertThat(table.second(id)).isEqualTo(second);
        }
    }

    /** A buffer of bytes that no key has, so that a key read past its end would differ. */
    private static byte[] filled(int length) {
        byte[] buffer = new byte[length];
        java.util.Arrays.fill(buffer, (byte) '#');
        return buffer;
    }
}
