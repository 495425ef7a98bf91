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
 * Each targeted mutation of a correct history is reported under the name of the invariant it
 * breaks. Tries are set explicitly (200 each) so the module suite stays fast; a mutation that
 * finds no place in a history discards that try.
 */
class MutationProperties {

    private static final int TRIES = 200;

    @Provide
    Arbitrary<List<HistoryEvent>> correctHistories() {
        return CorrectHistoriesProperties.correctHistories();
    }

    @Property(tries = TRIES)
    void swappingTwoDeliveriesViolatesPerDeviceOrder(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("per-device-order", history, random, Mutations::swapTwoDeliveries);
    }

    @Property(tries = TRIES)
    void aDuplicateDeliveryViolatesPerDeviceOrder(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("per-device-order", history, random, Mutations::duplicateDelivery);
    }

    @Property(tries = TRIES, maxDiscardRatio = 20)
    void droppingAnOwedDeliveryBeforeALaterOneViolatesNoHole(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("no-hole", history, random, Mutations::dropDeliveryBeforeAnother);
    }

    @Property(tries = TRIES, maxDiscardRatio = 20)
    void droppingADeliveryAfterQuiesceViolatesNoLostAck(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("no-lost-ack", history, random, Mutations::dropLastDeliveryAfterQuiesce);
    }

    @Property(tries = TRIES)
    void reusingASeqViolatesUniqueSeq(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("unique-seq", history, random, Mutations::reuseSeq);
    }

    @Property(tries = TRIES, maxDiscardRatio = 20)
    void deliveringAFailedMessageViolatesNoPhantom(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("no-phantom", history, random, Mutations::deliverFailedMessage);
    }

    @Property(tries = TRIES)
    void deliveringAnUnsentMessageViolatesNoPhantom(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("no-phantom", history, random, Mutations::deliverUnsentMessage);
    }

    @Property(tries = TRIES, maxDiscardRatio = 50)
    void deliveringToARemovedMemberViolatesMembership(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("membership", history, random, Mutations::deliverToRemovedMember);
    }

    @Property(tries = TRIES, maxDiscardRatio = 20)
    void loweringAReceiptWatermarkViolatesReceiptMonotone(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("receipt-monotone", history, random, Mutations::lowerReceiptWatermark);
    }

    @Property(tries = TRIES)
    void readingBeforeDeliveringViolatesReadAfterDeliver(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("read-after-deliver", history, random, Mutations::readBeforeDeliver);
    }

    @Property(tries = TRIES)
    void aReadReceiptThatLiesViolatesReceiptTruthful(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("receipt-truthful", history, random, Mutations::lyingReadReceipt);
    }

    @Property(tries = TRIES)
    void aDeliveredReceiptThatLiesViolatesReceiptTruthful(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("receipt-truthful", history, random, Mutations::lyingDeliveredReceipt);
    }

    @Property(tries = TRIES, maxDiscardRatio = 20)
    void aLaterSendWithASmallerSeqViolatesSenderFifo(@ForAll("correctHistories") List<HistoryEvent> history, @ForAll Random random) {
        assertReportedAs("sender-fifo", history, random, Mutations::swapSeqsOfOneSender);
    }

    private static void assertReportedAs(String invariant, List<HistoryEvent> history, Random random,
                                         Function<Mutations, Optional<List<HistoryEvent>>> mutation) {
        Optional<List<HistoryEvent>> mutated = mutation.apply(new Mutations(history, random));
        Assume.that(mutated.isPresent());
        Verdict verdict = Checker.check(mutated.get());
        assertThat(verdict.violated()).as(() -> Histories.describe(verdict, mutated.get())).contains(invariant);
        assertThat(verdict.invariant(invariant).examples()).isNotEmpty()
                .allSatisfy(example -> assertThat(example.lines()).isNotEmpty());
    }
}
