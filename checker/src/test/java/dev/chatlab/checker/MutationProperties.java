package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each targeted mutation of a correct history is reported under exactly the invariants it breaks:
 * a checker that also blamed an innocent invariant, or missed the one broken, fails. A mutation
 * that finds no place in a history discards that try.
 */
class MutationProperties {

    @Provide
    Arbitrary<List<HistoryEvent>> correctHistories() {
        return CorrectHistoriesProperties.correctHistories();
    }

    @Property
    void swappingTwoDeliveriesViolatesPerDeviceOrderAndNoHole(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::swapTwoDeliveries, "per-device-order", "no-hole");
    }

    @Property
    void aDuplicateDeliveryViolatesPerDeviceOrder(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::duplicateDelivery, "per-device-order");
    }

    @Property(maxDiscardRatio = 20)
    void droppingAnOwedDeliveryBeforeALaterOneViolatesNoHole(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::dropDeliveryBeforeAnother, "no-hole");
    }

    @Property(maxDiscardRatio = 20)
    void droppingADeliveryAfterQuiesceViolatesNoLostAck(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::dropLastDeliveryAfterQuiesce, "no-lost-ack");
    }

    @Property
    void reusingASeqViolatesUniqueSeq(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::reuseSeq, "unique-seq");
    }

    @Property(maxDiscardRatio = 20)
    void deliveringAFailedMessageViolatesNoPhantom(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::deliverFailedMessage, "no-phantom");
    }

    @Property
    void deliveringAnUnsentMessageViolatesNoPhantom(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::deliverUnsentMessage, "no-phantom");
    }

    @Property(maxDiscardRatio = 50)
    void deliveringToARemovedMemberViolatesMembership(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::deliverToRemovedMember, "membership");
    }

    @Property(maxDiscardRatio = 20)
    void loweringAReceiptWatermarkViolatesReceiptMonotone(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::lowerReceiptWatermark, "receipt-monotone");
    }

    @Property
    void readingBeforeDeliveringViolatesReadAfterDeliver(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::readBeforeDeliver, "read-after-deliver");
    }

    @Property
    void aReadReceiptThatLiesViolatesReceiptTruthful(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::lyingReadReceipt, "receipt-truthful");
    }

    @Property
    void aDeliveredReceiptThatLiesViolatesReceiptTruthful(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::lyingDeliveredReceipt, "receipt-truthful");
    }

    @Property(maxDiscardRatio = 20)
    void anAckBelowTheSendersEarlierAckViolatesSenderFifo(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs(history, random, Mutations::ackBelowAnEarlierAckOfTheSameSender, "sender-fifo");
    }

    private static void assertReportedAs(List<HistoryEvent> history, Random random,
                                         Function<Mutations, Optional<List<HistoryEvent>>> mutation, String... invariants) {
        Optional<List<HistoryEvent>> mutated = mutation.apply(new Mutations(history, random));
        Assume.that(mutated.isPresent());
        Verdict verdict = Checker.check(mutated.get());
        assertThat(verdict.violated()).as(() -> Histories.describe(verdict, mutated.get())).containsExactlyInAnyOrder(invariants);
        for (String invariant : invariants) {
            assertThat(verdict.invariant(invariant).examples()).isNotEmpty()
                    .allSatisfy(example -> assertThat(example.lines()).isNotEmpty());
        }
    }
}
