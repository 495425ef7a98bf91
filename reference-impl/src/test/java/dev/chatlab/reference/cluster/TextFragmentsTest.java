package dev.chatlab.reference.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TextFragmentsTest {

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
    private final List<String> messages = new ArrayList<>();

    private boolean add(TextFragments texts, io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
        try {
            return texts.add(alloc, frame, utf8 -> messages.add(utf8.toString(StandardCharsets.UTF_8)));
        } finally {
            frame.release();
        }
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void shouldHandOverAWholeTextFrameAndJoinAFragmentedOne() {
        TextFragments texts = new TextFragments(100);
        assertThat(add(texts, new TextWebSocketFrame(true, 0, bytes("whole")))).isTrue();
        assertThat(add(texts, new TextWebSocketFrame(false, 0, bytes("fr")))).isTrue();
        assertThat(add(texts, new ContinuationWebSocketFrame(false, 0, bytes("ag")))).isTrue();
        assertThat(messages).containsExactly("whole");
        assertThat(add(texts, new ContinuationWebSocketFrame(true, 0, bytes("ments")))).isTrue();
        assertThat(messages).containsExactly("whole", "fragments");
    }

    @Test
    void shouldRefuseAMessageThatGrowsPastItsLimitAndIgnoreAStrayContinuation() {
        TextFragments texts = new TextFragments(6);
        assertThat(add(texts, new TextWebSocketFrame(false, 0, bytes("1234")))).isTrue();
        assertThat(add(texts, new ContinuationWebSocketFrame(false, 0, bytes("567")))).as("7 bytes of 6").isFalse();
        // What was gathered is gone: the next continuation has no message to add to.
        assertThat(add(texts, new ContinuationWebSocketFrame(true, 0, bytes("8")))).isTrue();
        assertThat(messages).isEmpty();
        texts.release();
    }
}
