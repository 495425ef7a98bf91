package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistorySink;
import dev.chatlab.core.history.HistoryWriter;
import dev.chatlab.history.io.HistoryReader;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The online checker sits where a writer goes and reaches the same verdict as the file checker. */
class OnlineCheckerTest {

    @Test
    void shouldJudgeEventsAsTheyHappenAlongsideAWriter() throws Exception {
        List<HistoryEvent> history = new CorrectChat(new Random(11), 120).generate();
        StringWriter text = new StringWriter();
        HistoryChecker online = new HistoryChecker();
        try (HistoryWriter writer = new HistoryWriter(text)) {
            HistorySink sink = HistorySink.all(writer, online);
            history.forEach(sink::accept);
        }
        Verdict fromFile = Checker.check(new HistoryReader(new StringReader(text.toString())));
        Verdict live = online.finish();
        assertThat(live.valid()).isTrue();
        assertThat(live).isEqualTo(fromFile);
    }

    @Test
    void shouldNumberOnlineEventsByOrdinalLikeFileLines() throws Exception {
        List<HistoryEvent> history = new HistoryBuilder()
                .member("c", "alice").member("c", "bob")
                .sent("alice/phone", "c", "m1", 1)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .events();
        Verdict online = Checker.check(history);
        Verdict file = Checker.check(new HistoryReader(new StringReader(Histories.jsonl(history))));
        assertThat(online.invariant("no-hole").examples()).isEqualTo(file.invariant("no-hole").examples());
        assertThat(online.invariant("no-hole").examples().get(0).lines()).containsExactly(4L, 7L);
    }

    @Test
    void shouldReturnTheSameVerdictOnEveryFinishAndRefuseLaterEvents() {
        HistoryChecker checker = new HistoryChecker();
        checker.accept(new HistoryEvent.Quiesce(1));
        Verdict verdict = checker.finish();
        assertThat(checker.finish()).isSameAs(verdict);
        assertThatThrownBy(() -> checker.accept(new HistoryEvent.Quiesce(2))).isInstanceOf(IllegalStateException.class);
    }
}
