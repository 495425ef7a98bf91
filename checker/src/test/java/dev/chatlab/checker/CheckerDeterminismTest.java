package dev.chatlab.checker;

import dev.chatlab.checker.bench.SyntheticHistory;
import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.testkit.DeterminismRules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator runs the checker online, so the checker obeys the simulator's determinism rules. */
class CheckerDeterminismTest {

    @Test
    void checkerCodeReadsNoClockAndNoUnseededRandomness() {
        DeterminismRules.assertDeterministic("dev.chatlab.checker");
    }

    @Test
    void shouldGiveByteIdenticalVerdictsForTheSameHistory() {
        List<HistoryEvent> history = new Mutations(new CorrectChat(new Random(5), 150).generate(), new Random(5))
                .swapTwoDeliveries().orElseThrow();
        assertThat(VerdictJson.toJson(Checker.check(history))).isEqualTo(VerdictJson.toJson(Checker.check(history)));
    }

    @Test
    void shouldGenerateTheSameSyntheticHistoryFromTheSameSeed() {
        List<HistoryEvent> first = new ArrayList<>();
        List<HistoryEvent> second = new ArrayList<>();
        long n1 = new SyntheticHistory(20_000, 9).generate(first::add);
        long n2 = new SyntheticHistory(20_000, 9).generate(second::add);
        assertThat(n1).isEqualTo(n2).isEqualTo(first.size());
        assertThat(first).isEqualTo(second);
    }

    @Test
    void shouldGenerateSyntheticHistoriesThatPassEveryInvariantWithARealisticMix() {
        List<HistoryEvent> history = new ArrayList<>();
        new SyntheticHistory(50_000, 3).generate(history::add);
        Verdict verdict = Checker.check(history);
        assertThat(verdict.violated()).as(() -> Histories.describe(verdict, List.of())).isEmpty();
        assertThat(verdict.invariant("no-lost-ack").status()).isEqualTo(InvariantStatus.OK);
        assertThat(history).extracting(HistoryEvent::type)
                .contains("member", "connect", "disconnect", "send", "ack", "deliver", "read", "receipt", "presence",
                        "typing", "quiesce");
    }
}
