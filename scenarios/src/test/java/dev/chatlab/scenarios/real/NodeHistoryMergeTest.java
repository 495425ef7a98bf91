package dev.chatlab.scenarios.real;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.reference.cluster.NodeHistoryFile;
import dev.chatlab.reference.fleet.HistoryMerge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real run's history holds what the nodes' servers recorded themselves (membership changes)
 * where it happened among the fleet's events, as a simulated run's does: the node's host-clock
 * times are put on the fleet's clock before the merge.
 */
class NodeHistoryMergeTest {

    @TempDir
    Path dir;

    @Test
    void shouldPutANodesMembershipChangeOnTheFleetsClockAmongTheFleetsEvents() throws Exception {
        Path fleet = dir.resolve("fleet.jsonl");
        try (HistoryWriter w = HistoryWriter.open(fleet)) {
            w.write(new HistoryEvent.Member(0, "c1", "alice", MemberOp.ADD));
            w.write(new HistoryEvent.Connect(10, "alice", "phone", "n1"));
            w.write(new HistoryEvent.Connect(20, "carol", "phone", "n1"));
            w.write(new HistoryEvent.Quiesce(30));
            w.write(new HistoryEvent.Send(40, "alice", "phone", "c1", "m1"));
            w.write(new HistoryEvent.Ack(60, "alice", "phone", "c1", "m1", 1));
            w.write(new HistoryEvent.Deliver(70, "carol", "phone", "c1", 1, "m1", "alice", HistoryEvent.Via.PUSH));
        }
        Path node = dir.resolve("n1-history.jsonl");
        try (NodeHistoryFile n1 = NodeHistoryFile.append(node)) {
            n1.accept(new HistoryEvent.Member(0, "c1", "carol", MemberOp.ADD)); // t is the host clock's, written now
        }
        long hostT = NodeHistoryFile.readFrom(node, 0).get(0).t();
        // The fleet's zero such that the node recorded the add at t = 35 on the fleet's clock.
        List<HistoryEvent> merged = new ArrayList<>();
        HistoryMerge.Merged result = RealRun.mergeWithNodes(List.of(fleet), List.of(node), hostT - 35, dir, merged::add);

        assertThat(result.eventsPerPart()).containsExactly(7L, 1L);
        assertThat(merged).hasSize(8);
        assertThat(merged.get(4)).isEqualTo(new HistoryEvent.Member(35, "c1", "carol", MemberOp.ADD));
        assertThat(merged.get(5)).isInstanceOf(HistoryEvent.Send.class);
        assertThat(merged).filteredOn(e -> e instanceof HistoryEvent.Quiesce).singleElement()
                .satisfies(q -> assertThat(q.t()).isEqualTo(30));
        try (var left = Files.list(dir)) {
            assertThat(left).as("the node's part is removed after the merge")
                    .allSatisfy(p -> assertThat(p.getFileName().toString()).doesNotContain(".run."));
        }
    }

    @Test
    void shouldMergeTheFleetAloneWhenNoNodeRecordedAnything() throws Exception {
        Path fleet = dir.resolve("fleet.jsonl");
        try (HistoryWriter w = HistoryWriter.open(fleet)) {
            w.write(new HistoryEvent.Member(0, "c1", "alice", MemberOp.ADD));
            w.write(new HistoryEvent.Quiesce(30));
        }
        List<HistoryEvent> merged = new ArrayList<>();
        RealRun.mergeWithNodes(List.of(fleet), List.of(dir.resolve("never-written.jsonl")), 0, dir, merged::add);
        assertThat(merged).containsExactly(new HistoryEvent.Member(0, "c1", "alice", MemberOp.ADD), new HistoryEvent.Quiesce(30));
    }
}
