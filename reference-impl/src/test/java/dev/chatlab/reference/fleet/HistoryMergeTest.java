package dev.chatlab.reference.fleet;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryMergeTest {

    @TempDir
    Path dir;

    @Test
    void shouldOrderEventsOfEveryPartByT() throws Exception {
        Path a = part("a", connect(1, "u1"), connect(5, "u1"), connect(9, "u1"));
        Path b = part("b", connect(2, "u2"), connect(3, "u2"), connect(10, "u2"));
        List<HistoryEvent> out = new ArrayList<>();

        HistoryMerge.Merged merged = HistoryMerge.merge(List.of(a, b), out::add);

        assertThat(out).extracting(HistoryEvent::t).containsExactly(1L, 2L, 3L, 5L, 9L, 10L);
        assertThat(merged.events()).isEqualTo(6);
        assertThat(merged.eventsPerPart()).containsExactly(3L, 3L);
        assertThat(merged.quiesceT()).isEqualTo(-1);
    }

    @Test
    void shouldKeepFileOrderWithinAPartAndPartOrderAcrossPartsOnEqualT() throws Exception {
        Path a = part("a", connect(4, "a1"), connect(4, "a2"));
        Path b = part("b", connect(4, "b1"), connect(4, "b2"));
        Path c = part("c", connect(3, "c1"), connect(4, "c2"));
        List<HistoryEvent> out = new ArrayList<>();

        HistoryMerge.merge(List.of(a, b, c), out::add);

        assertThat(out).extracting(e -> ((HistoryEvent.Connect) e).user())
                .containsExactly("c1", "a1", "a2", "b1", "b2", "c2");
    }

    @Test
    void shouldWriteOneQuiesceWhereTheLastPartQuiesced() throws Exception {
        Path members = part("members", member(0, "u1"), member(0, "u2"));
        Path a = part("a", connect(10, "u1"), new HistoryEvent.Quiesce(20), connect(25, "u1"), connect(40, "u1"));
        Path b = part("b", connect(12, "u2"), connect(28, "u2"), new HistoryEvent.Quiesce(30), connect(35, "u2"),
                new HistoryEvent.Quiesce(36));
        List<HistoryEvent> out = new ArrayList<>();

        HistoryMerge.Merged merged = HistoryMerge.merge(List.of(members, a, b), out::add);

        assertThat(out).filteredOn(e -> e instanceof HistoryEvent.Quiesce).extracting(HistoryEvent::t).containsExactly(30L);
        assertThat(out).extracting(HistoryEvent::t).containsExactly(0L, 0L, 10L, 12L, 25L, 28L, 30L, 35L, 40L);
        assertThat(merged.quiesceT()).isEqualTo(30);
        assertThat(merged.events()).isEqualTo(9);
    }

    @Test
    void shouldNotLetAPartThatEndedWithoutQuiesceHoldTheQuiesceBack() throws Exception {
        Path a = part("a", connect(10, "u1"), new HistoryEvent.Quiesce(20), connect(25, "u1"));
        Path b = part("b", connect(12, "u2"), connect(22, "u2"));
        List<HistoryEvent> out = new ArrayList<>();

        HistoryMerge.Merged merged = HistoryMerge.merge(List.of(a, b), out::add);

        // b ends at 22 without a quiesce: from there on every part is settled, so the quiesce is at 22.
        assertThat(out).extracting(HistoryEvent::t).containsExactly(10L, 12L, 22L, 22L, 25L);
        assertThat(out.get(3)).isInstanceOf(HistoryEvent.Quiesce.class);
        assertThat(merged.quiesceT()).isEqualTo(22);
    }

    @Test
    void shouldWriteNoQuiesceWhenNoPartQuiesced() throws Exception {
        Path a = part("a", connect(10, "u1"));
        Path b = part("b");
        List<HistoryEvent> out = new ArrayList<>();

        HistoryMerge.Merged merged = HistoryMerge.merge(List.of(a, b), out::add);

        assertThat(out).hasSize(1).noneMatch(e -> e instanceof HistoryEvent.Quiesce);
        assertThat(merged.quiesceT()).isEqualTo(-1);
    }

    @Test
    void shouldNameThePartAndLineOfAnUnreadableEvent() throws Exception {
        Path a = part("a", connect(10, "u1"));
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"t\":5,\"type\":\"connect\",\"user\":\"u\",\"device\":\"d\",\"node\":\"n1\"}\n"
                + "{\"t\":3,\"type\":\"connect\",\"user\":\"u\",\"device\":\"d\",\"node\":\"n1\"}\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> HistoryMerge.merge(List.of(a, bad), e -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("bad.jsonl line 2").hasMessageContaining("backwards");
    }

    private Path part(String name, HistoryEvent... events) throws IOException {
        Path file = dir.resolve(name + ".jsonl.gz");
        try (HistoryWriter w = HistoryWriter.open(file)) {
            for (HistoryEvent e : events) {
                w.write(e);
            }
        }
        return file;
    }

    private static HistoryEvent connect(long t, String user) {
        return new HistoryEvent.Connect(t, user, "d1", "n1");
    }

    private static HistoryEvent member(long t, String user) {
        return new HistoryEvent.Member(t, "c1", user, HistoryEvent.MemberOp.ADD);
    }
}
