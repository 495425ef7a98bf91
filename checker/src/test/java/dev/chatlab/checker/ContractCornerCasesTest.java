package dev.chatlab.checker;

import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The corner cases of the history-format contract, one small history each. */
class ContractCornerCasesTest {

    /** Alice (phone, laptop) and Bob (phone) share chat c. */
    private static HistoryBuilder aliceAndBob() {
        return new HistoryBuilder()
                .member("c", "alice").member("c", "bob")
                .connect("alice/phone").connect("alice/laptop").connect("bob/phone");
    }

    private static void assertValid(Verdict verdict) {
        assertThat(verdict.violated()).isEmpty();
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.exitCode()).isZero();
    }

    private static void assertOnlyViolated(Verdict verdict, String... names) {
        assertThat(verdict.violated()).containsExactly(names);
        assertThat(verdict.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldAcceptAnIndeterminateSendThatAppearsOnce() {
        Verdict verdict = aliceAndBob()
                .send("alice/phone", "c", "m1")                     // no ack, no fail: indeterminate
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .deliver("alice/laptop", "c", 1, "m1", "alice")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone")
                .check();
        assertValid(verdict);
        assertThat(verdict.invariant("no-lost-ack").status()).isEqualTo(InvariantStatus.OK);
    }

    @Test
    void shouldAcceptAnIndeterminateSendThatNeverAppears() {
        Verdict verdict = aliceAndBob()
                .send("alice/phone", "c", "m1")
                .sent("alice/phone", "c", "m2", 1)
                .deliver("bob/phone", "c", 1, "m2", "alice")
                .deliver("alice/laptop", "c", 1, "m2", "alice")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone")
                .check();
        assertValid(verdict);
    }

    @Test
    void shouldReportAnIndeterminateMessageDeliveredUnderTwoSeqsAsUniqueSeq() {
        Verdict verdict = aliceAndBob()
                .send("alice/phone", "c", "m1")
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .send("alice/phone", "c", "m1")                     // the retry creates a second message
                .deliver("bob/phone", "c", 2, "m1", "alice")
                .deliver("alice/laptop", "c", 1, "m1", "alice")
                .deliver("alice/laptop", "c", 2, "m1", "alice")
                .check();
        assertOnlyViolated(verdict, "unique-seq");
        InvariantResult result = verdict.invariant("unique-seq");
        assertThat(result.violations()).isEqualTo(1);
        assertThat(result.examples().get(0).detail()).contains("got two seqs: 1", "and 2");
        assertThat(result.examples().get(0).lines()).containsExactly(7L, 9L);
    }

    @Test
    void shouldReportOneSeqNamingTwoMessagesAsUniqueSeq() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("bob/phone", "c", "b1", 1)
                .check();
        assertThat(verdict.violated()).containsExactly("unique-seq");
        assertThat(verdict.invariant("unique-seq").examples().get(0).detail()).contains("names two messages");
    }

    @Test
    void shouldAcceptNonContiguousSnowflakeSeqs() {
        long s1 = 1_786_000_000_000_001L;
        long s2 = 1_786_000_000_450_017L;
        long s3 = 1_786_000_123_456_789L;
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", s1)
                .sent("bob/phone", "c", "b1", s2)
                .sent("alice/phone", "c", "m2", s3)
                .deliver("bob/phone", "c", s1, "m1", "alice")
                .deliver("bob/phone", "c", s3, "m2", "alice")
                .deliver("alice/laptop", "c", s1, "m1", "alice")
                .deliver("alice/laptop", "c", s2, "b1", "bob")
                .deliver("alice/laptop", "c", s3, "m2", "alice")
                .deliver("alice/phone", "c", s2, "b1", "bob")
                .read("alice/phone", "c", s3)
                .receipt("bob/phone", "c", "alice", ReceiptState.READ, s3)
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone")
                .check();
        assertValid(verdict);
    }

    @Test
    void shouldNotOweHistoryToAMemberAddedLaterButAllowItBySync() {
        HistoryBuilder history = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .deliver("alice/laptop", "c", 1, "m1", "alice")
                .member("c", "carol").connect("carol/phone");
        Verdict withoutHistory = copyOf(history)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("carol/phone", "c", 2, "m2", "alice")
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .deliver("alice/laptop", "c", 2, "m2", "alice")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone").connect("carol/phone")
                .check();
        assertValid(withoutHistory);
        Verdict withHistory = copyOf(history)
                .deliver("carol/phone", "c", 1, "m1", "alice")       // history by sync: allowed
                .sent("alice/phone", "c", "m2", 2)
                .deliver("carol/phone", "c", 2, "m2", "alice")
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .deliver("alice/laptop", "c", 2, "m2", "alice")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone").connect("carol/phone")
                .check();
        assertValid(withHistory);
    }

    @Test
    void shouldNotOweAnythingToADeviceOfflineThroughTheQuiesceThatNeverComesBack() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .disconnect("alice/laptop")
                .quiesce().connect("alice/phone").connect("bob/phone")   // alice/laptop never comes back
                .check();
        assertValid(verdict);
        assertThat(verdict.invariant("no-lost-ack").status()).isEqualTo(InvariantStatus.OK);
        assertThat(verdict.invariant("no-lost-ack").judged()).isEqualTo(1);   // (m1, bob/phone)
    }

    @Test
    void shouldOweADeviceThatStaysConnectedThroughTheQuiesce() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .quiesce()                                           // nobody reconnects: bob/phone stays connected
                .check();
        assertOnlyViolated(verdict, "no-lost-ack");
        Example example = verdict.invariant("no-lost-ack").examples().get(0);
        assertThat(example.missingOn()).containsExactlyInAnyOrder("alice/laptop", "bob/phone");
        assertThat(example.detail()).contains("live after the quiesce");
        assertThat(verdict.invariant("no-lost-ack").judged()).isEqualTo(2);
    }

    @Test
    void shouldCountOneObligationPerMessageAndOwedLiveDevice() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("bob/phone", "c", "b1", 2)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .deliver("alice/laptop", "c", 1, "m1", "alice")
                .deliver("alice/phone", "c", 2, "b1", "bob")
                .deliver("alice/laptop", "c", 2, "b1", "bob")
                .quiesce()
                .check();
        assertValid(verdict);
        // m1 is owed to bob/phone and alice/laptop; b1 to alice/phone and alice/laptop.
        assertThat(verdict.invariant("no-lost-ack").judged()).isEqualTo(4);
        assertThat(verdict.invariant("unique-seq").judged()).isEqualTo(2);
        assertThat(verdict.invariant("no-phantom").judged()).isEqualTo(4);
    }

    @Test
    void shouldNotApplyTheLossRuleWhenNoDeviceIsLiveAfterTheQuiesce() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .disconnect("alice/phone").disconnect("alice/laptop").disconnect("bob/phone")
                .quiesce()
                .check();
        assertThat(verdict.invariant("no-lost-ack").status()).isEqualTo(InvariantStatus.NOT_APPLICABLE);
        assertThat(verdict.invariant("no-lost-ack").reason()).contains("no device was live after the quiesce");
        assertThat(verdict.exitCode()).isZero();
        assertThat(verdict.exitCode(true)).isEqualTo(Verdict.EXIT_VIOLATED);
    }

    @Test
    void shouldOweAUsersOwnMessagesToItsOtherDevices() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .disconnect("alice/laptop")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone")
                .check();
        assertOnlyViolated(verdict, "no-lost-ack");
        Example example = verdict.invariant("no-lost-ack").examples().get(0);
        assertThat(example.missingOn()).containsExactly("alice/laptop");
        assertThat(example.message()).isEqualTo(new MessageRef("c", 1, "alice", "m1"));
        assertThat(example.lines()).containsExactly(7L, 10L, 12L);
    }

    @Test
    void shouldIgnoreTheSendingDeviceDeliveringItsOwnMessage() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("bob/phone", "c", "b1", 2)
                .deliver("alice/phone", "c", 2, "b1", "bob")
                .deliver("alice/phone", "c", 1, "m1", "alice")     // its own message, out of order: ignored
                .deliver("alice/phone", "c", 1, "m1", "alice")
                .check();
        assertThat(verdict.violated()).isEmpty();
    }

    @Test
    void shouldAcceptARepeatedReceiptWithTheSameWatermark() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 1)
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 1)
                .read("bob/phone", "c", 1)
                .receipt("alice/phone", "c", "bob", ReceiptState.READ, 1)
                .receipt("alice/phone", "c", "bob", ReceiptState.READ, 1)
                .check();
        assertValid(verdict);
    }

    @Test
    void shouldKeepDeliveredAndReadWatermarksApart() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .read("bob/phone", "c", 1)
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 2)
                .receipt("alice/phone", "c", "bob", ReceiptState.READ, 1)    // lower, but another watermark
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 1) // lower than 2: violated
                .check();
        assertOnlyViolated(verdict, "receipt-monotone");
        assertThat(verdict.invariant("receipt-monotone").examples().get(0).lines()).containsExactly(13L, 15L);
    }

    @Test
    void shouldReportNoLostAckAsNotApplicableWithoutAQuiesce() {
        Verdict verdict = aliceAndBob().sent("alice/phone", "c", "m1", 1).check();
        InvariantResult result = verdict.invariant("no-lost-ack");
        assertThat(result.status()).isEqualTo(InvariantStatus.NOT_APPLICABLE);
        assertThat(result.reason()).contains("no quiesce");
        assertValid(verdict);
    }

    @Test
    void shouldReportAFailedMessageDeliveredAfterItsFailAndBeforeIt() {
        Verdict failedFirst = aliceAndBob()
                .send("alice/phone", "c", "m1").fail("alice/phone", "c", "m1")
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .check();
        assertOnlyViolated(failedFirst, "no-phantom");
        assertThat(failedFirst.invariant("no-phantom").examples().get(0).lines()).containsExactly(6L, 7L, 8L);
        Verdict deliveredFirst = aliceAndBob()
                .send("alice/phone", "c", "m1")
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .fail("alice/phone", "c", "m1")
                .check();
        assertOnlyViolated(deliveredFirst, "no-phantom");
        assertThat(deliveredFirst.invariant("no-phantom").violations()).isEqualTo(1);
    }

    @Test
    void shouldReportADeliveryOfAMessageNobodySentAsPhantom() {
        Verdict verdict = aliceAndBob()
                .deliver("bob/phone", "c", 1, "ghost", "alice")
                .send("alice/phone", "c", "ghost")                  // too late: must be earlier in the file
                .check();
        assertThat(verdict.violated()).containsExactly("no-phantom");
        assertThat(verdict.invariant("no-phantom").examples().get(0).detail()).contains("no device of alice sent");
    }

    @Test
    void shouldNotOweWhatWasCommittedBeforeARemovalToAUserAddedBack() {
        Verdict verdict = aliceAndBob()
                .remove("c", "bob")
                .sent("alice/phone", "c", "m1", 1)
                .deliver("alice/laptop", "c", 1, "m1", "alice")
                .member("c", "bob")
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .deliver("alice/laptop", "c", 2, "m2", "alice")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone")
                .check();
        assertValid(verdict);
    }

    @Test
    void shouldAllowDeliveringToAUserRemovedAfterTheCommit() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .remove("c", "bob")
                .deliver("bob/phone", "c", 1, "m1", "alice")        // bob was a member when m1 was committed
                .check();
        assertValid(verdict);
    }

    @Test
    void shouldReportADeliveryToAUserWhoWasNeverAMember() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("eve/phone", "c", 1, "m1", "alice")
                .check();
        assertOnlyViolated(verdict, "membership");
        assertThat(verdict.invariant("membership").examples().get(0).device()).isEqualTo("eve/phone");
    }

    @Test
    void shouldReportALateSmallerSeqAsAHoleAndAsDisorder() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 2, "m2", "alice")        // skips 1: a hole
                .deliver("bob/phone", "c", 1, "m1", "alice")        // arrives late: still a hole, and out of order
                .check();
        assertThat(verdict.violated()).containsExactly("per-device-order", "no-hole");
        Example hole = verdict.invariant("no-hole").examples().get(0);
        assertThat(hole.message().seq()).isEqualTo(1);
        assertThat(hole.device()).isEqualTo("bob/phone");
        assertThat(hole.lines()).containsExactly(7L, 10L);
    }

    @Test
    void shouldFindAHoleLeftByAMessageCommittedLateBelowTheDevicesLastDelivery() {
        Verdict verdict = aliceAndBob()
                .send("alice/phone", "c", "m1")                     // indeterminate: seq 1, not yet visible
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .deliver("alice/laptop", "c", 1, "m1", "alice")     // m1 committed now, below bob's last
                .sent("alice/phone", "c", "m3", 3)
                .deliver("bob/phone", "c", 3, "m3", "alice")        // bob never got m1: a hole
                .check();
        assertThat(verdict.violated()).containsExactly("no-hole");
        assertThat(verdict.invariant("no-hole").examples().get(0).message().seq()).isEqualTo(1);
    }

    @Test
    void shouldJudgeSenderFifoFromTheFirstDeliverWhenAMessageHasNoAck() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 5)
                .send("alice/phone", "c", "m2")                     // sent after m1's ack, never acked
                .deliver("bob/phone", "c", 3, "m2", "alice")        // but its seq is below m1's
                .check();
        assertThat(verdict.violated()).containsExactly("sender-fifo");
        assertThat(verdict.invariant("sender-fifo").examples().get(0).lines()).containsExactly(7L, 8L, 9L);
    }

    @Test
    void shouldNotApplySenderFifoToSendsThatOverlap() {
        Verdict verdict = aliceAndBob()
                .send("alice/phone", "c", "m1")
                .send("alice/phone", "c", "m2")                     // sent before m1's ack: no order owed
                .ack("alice/phone", "c", "m2", 1)
                .ack("alice/phone", "c", "m1", 2)
                .check();
        assertThat(verdict.invariant("sender-fifo").status()).isEqualTo(InvariantStatus.NOT_APPLICABLE);
        assertThat(verdict.invariant("sender-fifo").violations()).isZero();
    }

    @Test
    void shouldAcceptReadsAndReceiptsOfAUsersOwnAckedMessages() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .read("alice/phone", "c", 1)
                .receipt("bob/phone", "c", "alice", ReceiptState.DELIVERED, 1)
                .receipt("bob/phone", "c", "alice", ReceiptState.READ, 1)
                .check();
        assertValid(verdict);
    }

    @Test
    void shouldReportAReadOnADeviceThatHadNotDeliveredThatSeq() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .read("alice/laptop", "c", 1)                       // the laptop never delivered it
                .check();
        assertOnlyViolated(verdict, "read-after-deliver");
        assertThat(verdict.invariant("read-after-deliver").examples().get(0).device()).isEqualTo("alice/laptop");
    }

    @Test
    void shouldReportReceiptsThatClaimMoreThanHappened() {
        Verdict verdict = aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 2)
                .receipt("alice/phone", "c", "bob", ReceiptState.READ, 1)
                .check();
        assertOnlyViolated(verdict, "receipt-truthful");
        assertThat(verdict.invariant("receipt-truthful").violations()).isEqualTo(2);
    }

    @Test
    void shouldMeasurePresenceStalenessFromConnectsAndDisconnects() {
        Verdict verdict = new HistoryBuilder()
                .connect("alice/phone")                             // t=10: bob's true state changes at t=20
                .connect("bob/phone")
                .after(1000).presence("alice/phone", "bob", PresenceState.ONLINE)   // t=1030: 1010 us stale
                .connect("bob/laptop")                              // still online: no change
                .disconnect("bob/phone")
                .disconnect("bob/laptop")                           // t=1060: offline
                .presence("alice/phone", "bob", PresenceState.ONLINE)              // t=1070: 10 us, wrong
                .presence("bob/phone", "carol", PresenceState.OFFLINE)             // carol never connected
                .check();
        Staleness staleness = verdict.presence();
        assertThat(staleness.count()).isEqualTo(2);
        assertThat(staleness.max()).isEqualTo(1010);
        assertThat(staleness.p50()).isEqualTo(10);
        assertThat(staleness.disagreeing()).isEqualTo(1);
        assertThat(staleness.unknown()).isEqualTo(1);
    }

    private static HistoryBuilder copyOf(HistoryBuilder builder) {
        HistoryBuilder copy = new HistoryBuilder();
        builder.events().forEach(copy::add);
        return copy.after(builder.events().get(builder.events().size() - 1).t());
    }
}
