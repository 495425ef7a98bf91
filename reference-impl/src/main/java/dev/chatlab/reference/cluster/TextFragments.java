package dev.chatlab.reference.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.function.Consumer;

/**
 * Joins a WebSocket text message sent in fragments, on either side of a chat connection (the
 * node's gateway, the fleet's device sockets): a text frame that is not final starts one,
 * continuation frames add to it up to {@code bytesMax}, the final one completes it. One per
 * connection, on its event loop.
 *
 * <pre>{@code
 * if (frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
 *     if (!texts.add(ctx.alloc(), frame, utf8 -> handle(utf8))) close(1009);   // too big
 * }
 * ... channelInactive: texts.release();
 * }</pre>
 */
public final class TextFragments {

    private final int bytesMax;
    /** A text message arriving in fragments, until its last one. */
    private ByteBuf fragments;

    public TextFragments(int bytesMax) {
        this.bytesMax = bytesMax;
    }

    /**
     * Takes a text or continuation frame; hands {@code whole} each complete message's UTF-8 bytes
     * (readable only during the call). Returns false, dropping what was gathered, when a message
     * grows past {@code bytesMax}. A continuation with no message begun is ignored.
     */
    public boolean add(ByteBufAllocator alloc, WebSocketFrame frame, Consumer<ByteBuf> whole) {
        if (frame instanceof TextWebSocketFrame text) {
            release();
            if (text.isFinalFragment()) {
                whole.accept(text.content());
            } else {
                fragments = alloc.buffer(text.content().readableBytes() * 2);
                fragments.writeBytes(text.content());
            }
        } else if (frame instanceof ContinuationWebSocketFrame more && fragments != null) {
            if (fragments.readableBytes() + more.content().readableBytes() > bytesMax) {
                release();
                return false;
            }
            fragments.writeBytes(more.content());
            if (more.isFinalFragment()) {
                ByteBuf done = fragments;
                fragments = null;
                try {
                    whole.accept(done);
                } finally {
                    done.release();
                }
            }
        }
        return true;
    }

    /** Drops a message still arriving (the connection ended). */
    public void release() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
