package dev.chatlab.core.protocol;

import dev.chatlab.core.history.HistoryEvent.MemberOp;
import dev.chatlab.core.history.HistoryEvent.PresenceState;
import dev.chatlab.core.history.HistoryEvent.ReceiptState;
import dev.chatlab.core.history.HistoryEvent.Via;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec's own tables agree with the names each type gives itself, so the two can never drift apart. */
class WireRulesTest {

    @Test
    void shouldWriteEveryEnumAsItsOwnWireName() {
        assertThat(WireRules.MEMBER_OPS).containsExactly(Arrays.stream(MemberOp.values()).map(MemberOp::wire).toArray(String[]::new));
        assertThat(WireRules.VIAS).containsExactly(Arrays.stream(Via.values()).map(Via::wire).toArray(String[]::new));
        assertThat(WireRules.RECEIPT_STATES)
                .containsExactly(Arrays.stream(ReceiptState.values()).map(ReceiptState::wire).toArray(String[]::new));
        assertThat(WireRules.PRESENCE_STATES)
                .containsExactly(Arrays.stream(PresenceState.values()).map(PresenceState::wire).toArray(String[]::new));
        assertThat(WireRules.ERROR_CODES)
                .containsExactly(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toArray(String[]::new));
    }

    @Test
    void shouldFindEveryErrorCodeByItsWireName() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(WireRules.parse(ErrorCode.values(), WireRules.ERROR_CODES, code.wire())).isEqualTo(code);
            assertThat(ErrorCode.fromWire(code.wire())).isEqualTo(code);
        }
        assertThat(WireRules.parse(ErrorCode.values(), WireRules.ERROR_CODES, "BAD_JSON")).isNull();
    }

    @Test
    void shouldListEveryFrameTypeTheRecordsDeclare() {
        String[] declared = Arrays.stream(Frame.class.getPermittedSubclasses())
                .map(type -> FrameSamples.sampleOf(type).type())
                .sorted()
                .toArray(String[]::new);

        assertThat(Arrays.stream(WireRules.TYPES).sorted().toArray(String[]::new)).containsExactly(declared);
    }

    @Test
    void shouldEncodeAndDecodeEveryFrameTypeTheProtocolDeclares() {
        FrameCodec codec = new FrameCodec();
        for (Class<?> type : Frame.class.getPermittedSubclasses()) {
            Frame sample = FrameSamples.sampleOf(type);

            assertThat(codec.decode(codec.encode(sample)).frame()).as(type.getSimpleName()).isEqualTo(sample);
        }
    }

    @Test
    void shouldKnowEveryFieldNameByItsWireName() {
        for (WireField field : WireField.values()) {
            assertThat(WireField.of(field.wire)).isEqualTo(field);
        }
        assertThat(WireField.of("Seq")).isNull();
        assertThat(WireField.of("last_seq")).as("a field of a chat head, not of a frame").isNull();
    }

    @Test
    void shouldCutLongValuesWithoutSplittingASurrogatePair() {
        String emoji = "a".repeat(39) + "😀" + "tail";

        assertThat(WireRules.abbreviate(emoji)).isEqualTo("a".repeat(39) + "...");
        assertThat(WireRules.abbreviate("short")).isEqualTo("short");
    }
}
