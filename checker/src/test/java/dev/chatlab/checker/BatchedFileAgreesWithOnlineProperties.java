package dev.chatlab.checker;

import dev.chatlab.checker.output.VerdictJson;
import dev.chatlab.core.history.HistoryEvent;
import dev.chatlab.core.history.HistoryWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file is judged in batches whose facts are found before any of their events is judged; the
 * online checker judges one event at a time. Both must give the same verdict, byte for byte, on
 * correct histories and on every kind of broken one.
 */
class BatchedFileAgreesWithOnlineProperties {

    private static final List<Function<Mutations, Optional<List<HistoryEvent>>>> MUTATIONS = List.of(
            Mutations::swapTwoDeliveries, Mutations::duplicateDelivery, Mutations::dropDeliveryBeforeAnother,
            Mutations::dropLastDeliveryAfterQuiesce, Mutations::reuseSeq, Mutations::deliverFailedMessage,
            Mutations::deliverUnsentMessage, Mutations::deliverToRemovedMember, Mutations::lowerReceiptWatermark,
            Mutations::readBeforeDeliver, Mutations::lyingReadReceipt, Mutations::lyingDeliveredReceipt,
            Mutations::ackBelowAnEarlierAckOfTheSameSender);

    @Provide
    static Arbitrary<List<HistoryEvent>> histories() {
        return CorrectHistoriesProperties.correctHistories().flatMap(history ->
                Arbitraries.integers().between(-1, MUTATIONS.size() - 1).flatMap(mutation ->
                        Arbitraries.longs().map(seed -> mutation < 0 ? history
                                : MUTATIONS.get(mutation).apply(new Mutations(history, new Random(seed))).orElse(history))));
    }

    @Property
    void aFileJudgedInBatchesGetsTheOnlineVerdict(@ForAll("histories") List<HistoryEvent> history) throws IOException {
        Path file = Files.createTempFile("batched", ".jsonl");
        try {
            try (HistoryWriter out = HistoryWriter.open(file)) {
                for (HistoryEvent event : history) {
                    out.write(event);
                }
            }
            Verdict online = Checker.check(history);
            Verdict batched = Checker.judgeFile(file);
            assertThat(VerdictJson.toJson(batched)).isEqualTo(VerdictJson.toJson(online));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
