package dev.chatlab.sim.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSetTest {

    @Test
    void shouldContainExactlyItsMembers() {
        NodeSet set = NodeSet.of(1, 5);
        assertThat(set.contains(1)).isTrue();
        assertThat(set.contains(5)).isTrue();
        assertThat(set.contains(2)).isFalse();
        assertThat(NodeSet.range(3, 6).contains(5)).isTrue();
        assertThat(NodeSet.range(3, 6).contains(6)).isFalse();
    }

    @Test
    void shouldContainEveryNodeButTheExcludedOnes() {
        assertThat(NodeSet.all().contains(1_000_000)).isTrue();
        assertThat(NodeSet.allExcept(2).contains(2)).isFalse();
        assertThat(NodeSet.allExcept(2).contains(3)).isTrue();
    }

    @Test
    void shouldUniteFiniteAndComplementSets() {
        assertThat(NodeSet.of(1).union(NodeSet.of(2))).isEqualTo(NodeSet.of(1, 2));
        NodeSet mixed = NodeSet.of(2).union(NodeSet.allExcept(2, 3));
        assertThat(mixed.contains(2)).isTrue();
        assertThat(mixed.contains(3)).isFalse();
        assertThat(mixed.contains(9)).isTrue();
        assertThat(NodeSet.allExcept(1, 2).union(NodeSet.allExcept(2, 3))).isEqualTo(NodeSet.allExcept(2));
    }
}
