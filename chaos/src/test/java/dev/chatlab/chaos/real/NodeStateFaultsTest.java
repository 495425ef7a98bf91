package dev.chatlab.chaos.real;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeStateFaultsTest {

    /** Nodes that keep the last state they were sent, unless they are down. */
    private static final class FakeNodes implements NodeControl {
        final Map<String, NodeFaultState> states = new HashMap<>();
        final Set<String> down = new HashSet<>();
        int sends;

        @Override
        public boolean apply(String node, NodeFaultState state) {
            sends++;
            if (down.contains(node)) {
                return false;
            }
            states.put(node, state);
            return true;
        }

        NodeFaultState of(String node) {
            return states.getOrDefault(node, NodeFaultState.NORMAL);
        }
    }

    private final FakeNodes nodes = new FakeNodes();
    private long now;
    private final NodeStateFaults faults = new NodeStateFaults(nodes, List.of("n1", "n2", "n3"), () -> now += 10);

    @Test
    void shouldCutEveryLinkAcrossAPartitionAtBothEndsAndNoneWithinASide() {
        long handle = faults.partition(List.of(List.of("n1"), List.of("n2", "n3")));

        assertThat(handle).isPositive();
        assertThat(nodes.of("n1").dropTo()).containsExactlyInAnyOrder("n2", "n3");
        assertThat(nodes.of("n1").dropFrom()).containsExactlyInAnyOrder("n2", "n3");
        assertThat(nodes.of("n2").dropTo()).containsExactly("n1");
        assertThat(nodes.of("n2").dropFrom()).containsExactly("n1");
        assertThat(nodes.of("n3").dropTo()).containsExactly("n1");
        assertThat(faults.counts()).isEqualTo(Map.of("partition", 1L));

        assertThat(faults.heal(handle)).isTrue();
        assertThat(faults.heal(handle)).isFalse();
        for (String n : List.of("n1", "n2", "n3")) {
            assertThat(nodes.of(n)).isEqualTo(NodeFaultState.NORMAL);
        }
        assertThat(faults.counts()).as("a timed heal is a recovery, not a fault").isEqualTo(Map.of("partition", 1L));
    }

    @Test
    void shouldCutOneWayOnlyInTheDirectionAsked() {
        faults.cutOneWay(List.of("n3"), List.of("n1"));

        assertThat(nodes.of("n3").dropTo()).containsExactly("n1");
        assertThat(nodes.of("n3").dropFrom()).isEmpty();
        assertThat(nodes.of("n1").dropFrom()).containsExactly("n3");
        assertThat(nodes.of("n1").dropTo()).isEmpty();
        assertThat(nodes.of("n2")).isEqualTo(NodeFaultState.NORMAL);
        assertThat(faults.counts()).isEqualTo(Map.of("partition-one-way", 1L));
    }

    @Test
    void shouldHealOnlyTheCutItIsGivenAndHealAllOnlyWhenSomethingIsCut() {
        long a = faults.partition(List.of(List.of("n1"), List.of("n2")));
        faults.cutOneWay(List.of("n3"), List.of("n2"));
        faults.heal(a);
        assertThat(nodes.of("n1")).isEqualTo(NodeFaultState.NORMAL);
        assertThat(nodes.of("n2").dropFrom()).containsExactly("n3");

        assertThat(faults.healAll()).isTrue();
        assertThat(nodes.of("n2")).isEqualTo(NodeFaultState.NORMAL);
        assertThat(faults.healAll()).as("nothing left to heal").isFalse();
        assertThat(faults.counts()).isEqualTo(Map.of("partition", 1L, "partition-one-way", 1L, "heal", 1L));
    }

    @Test
    void shouldSkewOneNodeAndSlowEveryNodesStoreUntilRestored() {
        assertThat(faults.skew("n2", -5_000_000)).isTrue();
        assertThat(faults.slowDisk(10)).isTrue();

        assertThat(nodes.of("n2").clockOffsetMicros()).isEqualTo(-5_000_000);
        assertThat(nodes.of("n1").clockOffsetMicros()).isZero();
        for (String n : List.of("n1", "n2", "n3")) {
            assertThat(nodes.of(n).diskFactor()).isEqualTo(10);
        }
        assertThat(faults.restoreDisk()).isTrue();
        assertThat(faults.restoreDisk()).isFalse();
        assertThat(nodes.of("n3").diskFactor()).isEqualTo(1);
        assertThat(nodes.of("n2").clockOffsetMicros()).as("the skew stays").isEqualTo(-5_000_000);
        assertThat(faults.counts()).isEqualTo(Map.of("clock-skew", 1L, "slow-disk", 1L));
    }

    @Test
    void shouldGiveARestartedNodeItsSkewAndCutsAgain() {
        nodes.down.add("n2");
        assertThat(faults.skew("n2", 2_000_000)).as("n2 could not be told").isFalse();
        faults.partition(List.of(List.of("n1"), List.of("n2", "n3")));
        assertThat(faults.unreachable()).contains("n2");
        assertThat(nodes.of("n2")).isEqualTo(NodeFaultState.NORMAL);

        nodes.down.remove("n2");
        assertThat(faults.reapply("n2")).isTrue();
        assertThat(nodes.of("n2").clockOffsetMicros()).isEqualTo(2_000_000);
        assertThat(nodes.of("n2").dropTo()).containsExactly("n1");
        assertThat(faults.counts()).as("only what some node took counts").isEqualTo(Map.of("partition", 1L));
    }

    @Test
    void shouldEndCutsAndTheSlowStoreButKeepSkewsAtTheQuiesce() {
        faults.skew("n1", 1_000_000);
        faults.slowDisk(5);
        faults.partition(List.of(List.of("n1"), List.of("n2", "n3")));
        faults.quiesce();
        assertThat(nodes.of("n1")).isEqualTo(new NodeFaultState(1_000_000, 1, Set.of(), Set.of()));
        assertThat(nodes.of("n2")).isEqualTo(NodeFaultState.NORMAL);
    }

    @Test
    void shouldCountNothingWhenNoNodeCouldBeReached() {
        nodes.down.addAll(List.of("n1", "n2", "n3"));
        assertThat(faults.partition(List.of(List.of("n1"), List.of("n2")))).isNegative();
        assertThat(faults.slowDisk(3)).isFalse();
        assertThat(faults.counts()).isEmpty();
        nodes.down.clear();
        faults.reapply("n1");
        assertThat(nodes.of("n1").dropTo()).as("a cut nobody took is forgotten").isEmpty();
    }

    @Test
    void shouldRefuseUnknownNodesAndDisksFasterThanNormal() {
        assertThatThrownBy(() -> faults.skew("n9", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n9");
        assertThatThrownBy(() -> faults.cutOneWay(List.of("n1"), List.of("n7"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.slowDisk(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(nodes.sends).isZero();
    }

    @Test
    void shouldGiveThePacketFilterEveryCutLinkAfterEachPartitionCutHealAndQuiesce() {
        List<Set<LinkFilter.Link>> given = new java.util.ArrayList<>();
        faults.filterLinks(links -> given.add(Set.copyOf(links)));

        long partition = faults.partition(List.of(List.of("n1"), List.of("n2", "n3")));
        faults.cutOneWay(List.of("n3"), List.of("n2"));
        faults.heal(partition);
        faults.quiesce();

        assertThat(given).hasSize(4);
        assertThat(given.get(0)).containsExactlyInAnyOrder(new LinkFilter.Link("n1", "n2"), new LinkFilter.Link("n1", "n3"),
                new LinkFilter.Link("n2", "n1"), new LinkFilter.Link("n3", "n1"));
        assertThat(given.get(1)).hasSize(5).contains(new LinkFilter.Link("n3", "n2"));
        assertThat(given.get(2)).containsExactly(new LinkFilter.Link("n3", "n2"));
        assertThat(given.get(3)).isEmpty();
        assertThat(faults.filterApplied()).isEqualTo(4);
    }

    @Test
    void shouldKeepTheCutInsideTheNodesAndCountTheFailureWhenThePacketFilterFails() {
        faults.filterLinks(links -> {
            throw new java.io.IOException("iptables: Permission denied");
        });

        long handle = faults.partition(List.of(List.of("n1"), List.of("n2", "n3")));

        assertThat(handle).as("the nodes still drop each other's messages").isPositive();
        assertThat(nodes.of("n1").dropTo()).containsExactlyInAnyOrder("n2", "n3");
        assertThat(faults.filterFailed()).isEqualTo(1);
        assertThat(faults.filterFailures()).containsExactly("iptables: Permission denied");
        assertThat(faults.counts()).isEqualTo(Map.of("partition", 1L));
    }
}
