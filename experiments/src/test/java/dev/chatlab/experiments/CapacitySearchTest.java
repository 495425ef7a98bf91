package dev.chatlab.experiments;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The capacity search against outcomes known by construction: where the answer is, and what it cost to find. */
class CapacitySearchTest {

    @Test
    void shouldFindTheSmallestPassingValueByGallopingThenBisecting() throws Exception {
        List<Long> tried = new ArrayList<>();
        CapacitySearch.Result r = CapacitySearch.run(1, 1000, false, v -> {
            tried.add(v);
            return v >= 37;
        });
        assertThat(r.answer()).isEqualTo(37L);
        // gallop 1, 2, 3, 5, 9, 17, 33, 65; bisect (33, 65]: 49, 41, 37, 35, 36
        assertThat(tried).containsExactly(1L, 2L, 3L, 5L, 9L, 17L, 33L, 65L, 49L, 41L, 37L, 35L, 36L);
        assertThat(tried.size()).isLessThanOrEqualTo(CapacitySearch.probesMax(1, 1000));
    }

    @Test
    void shouldFindTheLargestPassingValueWhenMaximizing() throws Exception {
        assertThat(CapacitySearch.run(1, 100, true, v -> v <= 12).answer()).isEqualTo(12L);
        assertThat(CapacitySearch.run(1, 100, true, v -> v <= 100).answer()).isEqualTo(100L);
        assertThat(CapacitySearch.run(5, 100, true, v -> v <= 4).answer()).isNull();
        assertThat(CapacitySearch.run(1, 2, true, v -> v <= 1).answer()).isEqualTo(1L);
    }

    @Test
    void shouldAnswerTheEndsAndNothingWhenNoValuePasses() throws Exception {
        CapacitySearch.Result first = CapacitySearch.run(3, 64, false, v -> true);
        assertThat(first.answer()).isEqualTo(3L);
        assertThat(first.probed()).hasSize(1);
        assertThat(CapacitySearch.run(3, 64, false, v -> v >= 64).answer()).isEqualTo(64L);
        CapacitySearch.Result none = CapacitySearch.run(3, 64, false, v -> false);
        assertThat(none.answer()).isNull();
        assertThat(none.probed().get(none.probed().size() - 1)[0]).isEqualTo(64L);
        for (long answer = 0; answer <= 20; answer++) {
            long a = answer;
            assertThat(CapacitySearch.run(0, 20, false, v -> v >= a).answer()).as("answer %d", a).isEqualTo(a);
            assertThat(CapacitySearch.run(0, 20, true, v -> v <= a).answer()).as("answer %d", a).isEqualTo(a);
        }
    }
}
