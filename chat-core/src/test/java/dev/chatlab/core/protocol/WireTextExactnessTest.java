package dev.chatlab.core.protocol;

import dev.chatlab.core.history.HistoryEvent.Via;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What the codec writes survives the UTF-8 of a WebSocket text frame, whatever string a field holds. */
class WireTextExactnessTest {

    private final FrameCodec codec = new FrameCodec();

    private Frame overTheWire(Frame frame) {
        String text = codec.encode(frame);
        String received = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        return codec.decode(received).frame();
    }

    @Test
    void shouldCarryLoneSurrogatesNulAndEmojiThroughUtf8Exactly() {
        Frame deliver = new Frame.Deliver("c\ud800", 1, "m\udfff", "alice", "a\u0000b\ud800\udc00\ud83d\ude00\udc00x\ud800", Via.PUSH);
        assertThat(overTheWire(deliver)).isEqualTo(deliver);
        assertThat(codec.encode(deliver)).contains("\\ud800").contains("\\udc00x").contains("\ud83d\ude00");
    }
}
