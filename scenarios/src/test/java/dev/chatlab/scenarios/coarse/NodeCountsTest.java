package dev.chatlab.scenarios.coarse;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCountsTest {

    @Test
    void shouldFindTheNodeOfTheIndexthConnectedDevice() {
        NodeCounts c = new NodeCounts(3);
        c.add(0, 10);
        c.add(2, 5);
        assertThat(c.nodeOf(0)).isZero();
        assertThat(c.nodeOf(9)).isZero();
        assertThat(c.nodeOf(10)).isEqualTo(2);
        assertThat(c.nodeOf(14)).isEqualTo(2);
        c.add(0, -10);
        assertThat(c.nodeOf(0)).isEqualTo(2);
        assertThat(c.total()).isEqualTo(5);
    }

    @Property
    void shouldAgreeWithALinearScan(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 50) Integer> counts,
                                    @ForAll @IntRange(min = 0, max = 10_000) int probe) {
        NodeCounts c = new NodeCounts(counts.size());
        for (int i = 0; i < counts.size(); i++) {
            c.add(i, counts.get(i));
        }
        if (c.total() == 0) {
            return;
        }
        long index = probe % c.total();
        long seen = 0;
        int expected = -1;
        for (int i = 0; i < counts.size(); i++) {
            seen += counts.get(i);
            if (index < seen) {
                expected = i;
                break;
            }
        }
        assertThat(c.nodeOf(index)).isEqualTo(expected);
    }
}
