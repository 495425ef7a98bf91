package dev.chatlab.reference.node;

import dev.chatlab.reference.cluster.TextFragments;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The node's listening port, on Netty directly rather than through Vert.x's HTTP server: a
 * WebSocket on {@code /ws} and the {@link AdminEndpoints} beside it. An idle chat connection is
 * what a node holds most of, and Vert.x's server keeps per WebSocket the upgrade request, its
 * headers, a response object and a cross-thread write queue with a 4 KiB chunk; here a connection
 * is Netty's channel, the frame codec and one {@link Socket}. Once upgraded, the HTTP codec
 * leaves the pipeline.
 *
 * <p>Everything runs on the node's own event loop (the verticle's), and each event reaches the
 * node inside its Vert.x context, so the node stays single-threaded and its futures complete
 * where they should.
 *
 * <pre>{@code
 * WebSocketGateway gateway = new WebSocketGateway(context, "127.0.0.1", 0, 256 * 1024, 1 << 20, node::accept, endpoints);
 * int port = gateway.listen().await();
 * }</pre>
 */
final class WebSocketGateway {

    static final String PATH = "/ws";
    /** Enough for a request line and the headers of a WebSocket upgrade or an endpoint call. */
    private static final int HEADER_BYTES_MAX = 8192;

    private final ContextInternal context;
    private final String host;
    private final int port;
    private final int frameBytesMax;
    private final int writeQueueBytesMax;
    private final Function<GatewaySocket, GatewaySocket.Listener> onOpen;
    private final AdminEndpoints endpoints;
    private Channel listening;

    WebSocketGateway(ContextInternal context, String host, int port, int frameBytesMax, int writeQueueBytesMax,
                     Function<GatewaySocket, GatewaySocket.Listener> onOpen, AdminEndpoints endpoints) {
        this.context = context;
        this.host = host;
        this.port = port;
        this.frameBytesMax = frameBytesMax;
        this.writeQueueBytesMax = writeQueueBytesMax;
        this.onOpen = onOpen;
        this.endpoints = endpoints;
    }

    /** Binds the port; the future gives the port actually bound (useful when asked for 0). */
    Future<Integer> listen() {
        Promise<Integer> bound = context.promise();
        new ServerBootstrap()
                .group(context.nettyEventLoop())
                // The channel of the transport the event loop runs (NIO, or epoll when Vert.x prefers it).
                .channelFactory(context.owner().transport().serverChannelFactory(false))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(writeQueueBytesMax / 2, writeQueueBytesMax))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec(4096, HEADER_BYTES_MAX, 8192))
                                .addLast("aggregate", new HttpObjectAggregator(AdminEndpoints.BODY_BYTES_MAX))
                                .addLast("route", new Router());
                    }
                })
                .bind(host, port)
                .addListener(f -> {
                    if (f.isSuccess()) {
                        listening = ((io.netty.channel.ChannelFuture) f).channel();
                        bound.complete(((InetSocketAddress) listening.localAddress()).getPort());
                    } else {
                        bound.fail(f.cause());
                    }
                });
        return bound.future();
    }

    int port() {
        return listening == null ? -1 : ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /** Stops accepting; open connections are left to the process's end, as a killed node's would be. */
    Future<Void> close() {
        if (listening == null) {
            return Future.succeededFuture();
        }
        Promise<Void> closed = context.promise();
        listening.close().addListener(f -> closed.complete());
        return closed.future();
    }

    /** Before the upgrade: a WebSocket handshake on {@link #PATH}, or an endpoint call. */
    private final class Router extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            boolean upgrade = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
            if (upgrade && PATH.equals(uri.path())) {
                upgrade(ctx, request);
                return;
            }
            if (upgrade) {
                respond(ctx, request, AdminEndpoints.Response.text(404, "the WebSocket path is " + PATH));
                return;
            }
            String body = request.content().toString(StandardCharsets.UTF_8);
            context.emit(request, r -> respond(ctx, r,
                    endpoints.handle(r.method().name(), uri.path(), uri.parameters(), body)));
        }

        private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                    "ws://" + request.headers().get(HttpHeaderNames.HOST, host) + PATH, null, false, frameBytesMax)
                    .newHandshaker(request);
            Channel channel = ctx.channel();
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel);
                return;
            }
            Socket socket = new Socket(channel);
            // In place before the handshake answer leaves, so no frame arrives to a router.
            ctx.pipeline().replace(this, "socket", socket);
            handshaker.handshake(channel, request).addListener(done -> {
                if (done.isSuccess()) {
                    context.emit(socket, s -> s.listener = onOpen.apply(s));
                } else {
                    channel.close();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, AdminEndpoints.Response r) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        HttpUtil.setContentLength(response, r.body().length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** An upgraded connection: the node's {@link GatewaySocket} and the end of its pipeline. */
    private final class Socket extends SimpleChannelInboundHandler<WebSocketFrame> implements GatewaySocket {

        private final Channel channel;
        private GatewaySocket.Listener listener;
        private final TextFragments texts = new TextFragments(frameBytesMax);
        private boolean closing;
        private boolean told;

        Socket(Channel channel) {
            this.channel = channel;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                if (!texts.add(ctx.alloc(), frame, this::deliver)) {
                    close((short) WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
                }
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                closing = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof BinaryWebSocketFrame && listener != null) {
                context.emit(listener, GatewaySocket.Listener::binary);
            }
        }

        /**
         * Netty's own decoding would put U+FFFD in place of bytes that are not UTF-8, and the
         * protocol would read a frame the client never wrote: such text closes with 1007 instead.
         */
        private void deliver(ByteBuf utf8) {
            if (listener == null || closing) {
                return;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(utf8.nioBuffer()).toString();
            } catch (CharacterCodingException e) {
                close((short) WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "text that is not valid UTF-8");
                return;
            }
            context.emit(text, listener::text);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            texts.release();
            closing = true;
            if (listener != null && !told) {
                told = true;
                context.emit(listener, GatewaySocket.Listener::closed);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void sendText(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }

        @Override
        public boolean writeQueueFull() {
            return !channel.isWritable();
        }

        @Override
        public boolean isClosed() {
            return closing || !channel.isActive();
        }

        @Override
        public void close(short code, String reason) {
            if (closing) {
                return;
            }
            closing = true;
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
