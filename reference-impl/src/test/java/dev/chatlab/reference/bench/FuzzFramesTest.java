package dev.chatlab.reference.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FuzzFramesTest {

    private static List<String> first(long seed, int n) {
        FuzzFrames frames = new FuzzFrames(seed, "c1", "f1", List.of("alice", "bob"), 4096);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FuzzFrames.Fuzzed f = frames.next();
            out.add(f.shape() + " " + (f.text() != null ? f.text() : Arrays.toString(f.bytes())));
        }
        return out;
    }

    @Test
    void shouldMakeTheSameFramesForTheSameSeedAndOthersForAnother() {
        assertThat(first(7, 2_000)).isEqualTo(first(7, 2_000)).isNotEqualTo(first(8, 2_000));
    }

    @Test
    void shouldMakeEveryShapeAndFramesOfEveryTypeADeviceSends() {
        FuzzFrames frames = new FuzzFrames(1, "c1", "f1", List.of("alice"), 4096);
        EnumSet<FuzzFrames.Shape> shapes = EnumSet.noneOf(FuzzFrames.Shape.class);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            FuzzFrames.Fuzzed f = frames.next();
            shapes.add(f.shape());
            if (f.text() != null && f.text().length() < 1_000) {
                all.append(f.text()).append('\n');
            }
        }
        assertThat(shapes).containsExactlyInAnyOrder(FuzzFrames.Shape.values());
        for (String type : List.of("hello", "send", "delivered", "read", "typing", "sync", "membership", "left", "watch",
                "ping")) {
            assertThat(all).contains("\"type\":\"" + type + "\"");
        }
    }
}
