package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every history a correct chat produces passes every invariant. */
class CorrectHistoriesProperties {

    @Provide
    static Arbitrary<List<HistoryEvent>> correctHistories() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE).flatMap(seed ->
                Arbitraries.integers().between(20, 160).map(steps -> new CorrectChat(new Random(seed), steps).generate()));
    }

    @Property
    void everyCorrectHistoryPassesEveryInvariant(@ForAll("correctHistories") List<HistoryEvent> history) {
        Verdict verdict = Checker.check(history);
        assertThat(verdict.violated()).as(() -> Histories.describe(verdict, history)).isEmpty();
        // Every device is live after the quiesce, so the loss rule judges something whenever a
        // message was committed with another device of its chat to owe it to.
        if (verdict.invariant("no-lost-ack").status() == InvariantStatus.NOT_APPLICABLE) {
            assertThat(verdict.invariant("no-lost-ack").reason()).as(() -> Histories.describe(verdict, history))
                    .isEqualTo("no committed message was owed to a device live after the quiesce");
        } else {
            assertThat(verdict.invariant("no-lost-ack").status()).isEqualTo(InvariantStatus.OK);
            assertThat(verdict.invariant("no-lost-ack").judged()).isPositive();
        }
        assertThat(verdict.invariants()).filteredOn(r -> r.status() == InvariantStatus.OK)
                .allSatisfy(r -> assertThat(r.judged()).as(r.name()).isPositive());
    }
}
