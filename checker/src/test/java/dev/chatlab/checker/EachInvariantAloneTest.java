package dev.chatlab.checker;

import dev.chatlab.checker.invariant.Invariants;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For each of the contract's invariants, the smallest history that breaks it and nothing else: the
 * verdict must name exactly that invariant. A checker that blames a neighbour too (a duplicate as
 * a hole, a ghost as a lost message) fails here, and a new invariant without a case fails the
 * coverage test.
 */
class EachInvariantAloneTest {

    /** Alice (phone, laptop) and Bob (phone) share chat c. */
    private static HistoryBuilder aliceAndBob() {
        return new HistoryBuilder()
                .member("c", "alice").member("c", "bob")
                .connect("alice/phone").connect("alice/laptop").connect("bob/phone");
    }

    private static final Map<String, Supplier<HistoryBuilder>> ALONE = new LinkedHashMap<>();

    static {
        ALONE.put("unique-seq", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("bob/phone", "c", "b1", 1));                      // one seq, two messages
        ALONE.put("no-phantom", () -> aliceAndBob()
                .deliver("bob/phone", "c", 1, "ghost", "alice"));        // nobody sent it
        ALONE.put("per-device-order", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .deliver("bob/phone", "c", 1, "m1", "alice"));           // the same seq twice
        ALONE.put("no-hole", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 2, "m2", "alice"));           // skips 1, never gets it
        ALONE.put("sender-fifo", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 5)
                .sent("alice/phone", "c", "m2", 3));                     // sent after m1's ack, seq below it
        ALONE.put("no-lost-ack", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .quiesce().connect("alice/phone").connect("alice/laptop").connect("bob/phone")); // the laptop never gets m1
        ALONE.put("membership", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("eve/phone", "c", 1, "m1", "alice"));           // eve was never a member
        ALONE.put("read-after-deliver", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .read("alice/laptop", "c", 1));                          // the laptop never delivered 1
        ALONE.put("receipt-monotone", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .sent("alice/phone", "c", "m2", 2)
                .deliver("bob/phone", "c", 1, "m1", "alice")
                .deliver("bob/phone", "c", 2, "m2", "alice")
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 2)
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 1)); // told less after more
        ALONE.put("receipt-truthful", () -> aliceAndBob()
                .sent("alice/phone", "c", "m1", 1)
                .receipt("alice/phone", "c", "bob", ReceiptState.DELIVERED, 1)); // bob delivered nothing
    }

    static Stream<String> invariants() {
        return ALONE.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invariants")
    void shouldNameExactlyTheInvariantTheHistoryBreaks(String invariant) {
        HistoryBuilder history = ALONE.get(invariant).get();
        Verdict verdict = history.check();
        assertThat(verdict.violated()).as(() -> Histories.describe(verdict, history.events())).containsExactly(invariant);
        assertThat(verdict.exitCode()).isEqualTo(Verdict.EXIT_VIOLATED);
        assertThat(verdict.invariant(invariant).violations()).isEqualTo(1);
        assertThat(verdict.invariant(invariant).examples()).singleElement()
                .satisfies(example -> assertThat(example.lines()).isNotEmpty());
    }

    @Test
    void shouldHaveACaseForEveryInvariantOfTheContract() {
        assertThat(ALONE.keySet()).containsExactlyInAnyOrderElementsOf(Invariants.NAMES);
    }
}
