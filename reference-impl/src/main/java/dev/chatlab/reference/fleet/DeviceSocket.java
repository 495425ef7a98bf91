package dev.chatlab.reference.fleet;

import dev.chatlab.reference.cluster.TextFragments;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.internal.ContextInternal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One device's WebSocket to a node, on Netty directly rather than through Vert.x's WebSocket
 * client (as the node's own gateway is): Vert.x kept, per idle device, an HTTP connection object
 * and a WebSocket one, each with a cross-thread write queue whose first chunk is 4 KiB, and the
 * upgrade response's headers; every frame also went through its inbound queue and a future or
 * two. Here a connection is Netty's channel, the frame codec and this handler. Frames a device
 * writes while its socket is being read leave in one flush when the read completes.
 *
 * <p>Every callback runs on the fleet's event loop inside its Vert.x context: {@code opened} or
 * {@code failed} exactly once (a connection not open within the timeout, TCP and upgrade together,
 * has failed), then, once opened, any number of {@code text} and exactly one {@code closed}, with
 * the status code of the node's close frame ({@code null} if the connection ended without one).
 *
 * <pre>{@code
 * DeviceSocket.connect(context, remote, local, uri, 1 << 20, 5_000, 1, listener);
 * ... listener.opened(socket) -> socket.sendText("{...}"); ... socket.close();
 * }</pre>
 */
final class DeviceSocket extends SimpleChannelInboundHandler<Object> {

    /** What happens to a socket; see the class comment for the order. */
    interface Listener {
        void opened(DeviceSocket socket);

        void failed(String why);

        void text(DeviceSocket socket, String text);

        void closed(DeviceSocket socket, Short closeCode);
    }

    /** Status of the close frame a device sends when it ends the connection itself. */
    private static final int NORMAL_CLOSURE = 1000;
    /** Enough for the status line and headers of an upgrade answer. */
    private static final int HANDSHAKE_BYTES_MAX = 8192;

    private static final FixedRecvByteBufAllocator READS = new FixedRecvByteBufAllocator(4096);

    private final ContextInternal context;
    private final Listener listener;
    private final long closingTimeoutSeconds;
    private Channel channel;
    /** Until the upgrade is answered. */
    private WebSocketClientHandshaker handshaker;
    private ScheduledFuture<?> openTimeout;
    private boolean open;
    private boolean ended;
    private boolean closeSent;
    private Short closeCode;
    private final TextFragments texts;
    /** Inside a read of this socket: writes wait for its end and leave in one flush. */
    private boolean reading;
    private boolean needsFlush;

    private DeviceSocket(ContextInternal context, Listener listener, int messageBytesMax, long closingTimeoutSeconds,
                         WebSocketClientHandshaker handshaker) {
        this.context = context;
        this.listener = listener;
        this.texts = new TextFragments(messageBytesMax);
        this.closingTimeoutSeconds = closingTimeoutSeconds;
        this.handshaker = handshaker;
    }

    /**
     * Opens a WebSocket from {@code local} to {@code remote} ({@code uri} names its path and host)
     * on the context's event loop, with that loop's transport.
     */
    static void connect(ContextInternal context, InetSocketAddress remote, InetSocketAddress local, URI uri,
                        int messageBytesMax, long timeoutMillis, long closingTimeoutSeconds, Listener listener) {
        DeviceSocket socket = new DeviceSocket(context, listener, messageBytesMax, closingTimeoutSeconds,
                WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
                        EmptyHttpHeaders.INSTANCE, messageBytesMax));
        new Bootstrap()
                .group(context.nettyEventLoop())
                .channelFactory(context.owner().transport().channelFactory(false))
                .option(ChannelOption.TCP_NODELAY, true)
                // One allocator for every socket, reads of a fixed size: the adaptive default is three
                // objects a channel (about 130 bytes), to size reads of frames that are mostly small.
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                // No CONNECT_TIMEOUT_MILLIS: the open timeout below covers the TCP connect too, and the
                // channel would keep Netty's cancelled timeout task for the connection's life.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        socket.channel = ch;
                        ch.pipeline().addLast(new HttpClientCodec(4096, HANDSHAKE_BYTES_MAX, 8192),
                                new HttpObjectAggregator(HANDSHAKE_BYTES_MAX), socket);
                        socket.openTimeout = ch.eventLoop().schedule(
                                () -> socket.fail("not open after " + timeoutMillis + " ms"), timeoutMillis, TimeUnit.MILLISECONDS);
                    }
                })
                .connect(remote, local)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        socket.fail(String.valueOf(f.cause()));
                    }
                });
    }

    /** Sends one text message. */
    void sendText(String text) {
        if (!open || closeSent || !channel.isActive()) {
            return;
        }
        TextWebSocketFrame frame = new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text));
        if (reading) {
            channel.write(frame, channel.voidPromise());
            needsFlush = true;
        } else {
            channel.writeAndFlush(frame, channel.voidPromise());
        }
    }

    /**
     * Ends the connection from this side: a close frame, then the TCP connection is closed when
     * the node answers it or after the closing timeout, whichever comes first.
     */
    void close() {
        if (channel == null || closeSent) {
            return;
        }
        closeSent = true;
        if (!open) {
            channel.close();
            return;
        }
        channel.writeAndFlush(new CloseWebSocketFrame(NORMAL_CLOSURE, null));
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, closingTimeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        handshaker.handshake(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        reading = false;
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (handshaker != null) {
            if (msg instanceof FullHttpResponse response) {
                upgraded(ctx, response);
            }
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            if (!texts.add(ctx.alloc(), (WebSocketFrame) msg, this::deliver)) {
                ctx.close();
            }
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (msg instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            closeCode = code < 0 ? null : (short) code;
            if (closeSent) {
                ctx.close();
            } else {
                closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(code < 0 ? NORMAL_CLOSURE : code, null))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private void upgraded(ChannelHandlerContext ctx, FullHttpResponse response) {
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        } catch (RuntimeException refused) {
            fail("upgrade refused: " + refused.getMessage());
            return;
        }
        handshaker = null;
        if (ended) {
            return;
        }
        openTimeout.cancel(false);
        openTimeout = null;
        open = true;
        context.emit(this, listener::opened);
    }

    private void deliver(ByteBuf utf8) {
        if (!open || closeSent) {
            return;
        }
        context.emit(utf8.toString(StandardCharsets.UTF_8), text -> listener.text(this, text));
    }

    /** The attempt failed (before it opened): told once, the channel closed. */
    private void fail(String why) {
        if (open || ended) {
            return;
        }
        ended = true;
        if (openTimeout != null) {
            openTimeout.cancel(false);
            openTimeout = null;
        }
        if (channel != null) {
            channel.close();
        }
        context.emit(why, listener::failed);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        texts.release();
        if (open && !ended) {
            ended = true;
            context.emit(closeCode, code -> listener.closed(this, code));
        } else {
            fail("closed before the upgrade");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
