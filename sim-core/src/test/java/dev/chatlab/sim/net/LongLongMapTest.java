package dev.chatlab.sim.net;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LongLongMapTest {

    @Test
    void shouldBehaveLikeAHashMapThroughGrowth() {
        LongLongMap map = new LongLongMap();
        Map<Long, Long> reference = new HashMap<>();
        for (long i = 0; i < 50_000; i++) {
            long key = (i * 0x9E37_79B9L) & Long.MAX_VALUE;
            map.put(key, i);
            reference.put(key, i);
            if (i % 3 == 0) {
                map.put(key, -i);
                reference.put(key, -i);
            }
        }
        assertThat(map.size()).isEqualTo(reference.size());
        reference.forEach((k, v) -> assertThat(map.get(k, 7)).isEqualTo(v));
        assertThat(map.get(123_456_789L, 7)).isEqualTo(7);
    }
}
