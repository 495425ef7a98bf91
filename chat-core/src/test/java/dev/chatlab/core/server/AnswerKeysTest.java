package dev.chatlab.core.server;

import dev.chatlab.core.protocol.ErrorCode;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An error about a request names the request's chat (and cmid, for a send), so a device can match it. */
class AnswerKeysTest {

    @Test
    void shouldNameTheChatAndCmidOfTheRequestAnErrorAnswers() {
        OneNode n = new OneNode();
        n.store.seedChat("c1", List.of("alice", "bob"));
        long mallory = n.welcomed("mallory");

        n.frame(mallory, new Frame.Sync("c1", 0, 10));
        n.frame(mallory, new Frame.Read("c1", 1));

        assertThat(n.take(mallory)).containsExactly(
                new Frame.Error(ErrorCode.NOT_A_MEMBER, "mallory is not a member of c1", "c1", null),
                new Frame.Error(ErrorCode.NOT_A_MEMBER, "mallory is not a member of c1", "c1", null));
    }

    @Test
    void shouldCarryAnErrorsKeysOnTheWire() {
        FrameCodec codec = new FrameCodec();
        Frame error = new Frame.Error(ErrorCode.UNAVAILABLE, "retry", "c1", "m1");
        String text = codec.encode(error);
        assertThat(text).isEqualTo("{\"v\":1,\"type\":\"error\",\"code\":\"unavailable\",\"message\":\"retry\",\"chat\":\"c1\",\"cmid\":\"m1\"}");
        assertThat(codec.decode(text).frame()).isEqualTo(error);
        assertThat(codec.decode("{\"type\":\"error\",\"code\":\"internal\",\"message\":\"x\"}").frame())
                .isEqualTo(new Frame.Error(ErrorCode.INTERNAL, "x"));
    }
}
