package dev.chatlab.reference.node;

import dev.chatlab.reference.Futures;
import dev.chatlab.core.protocol.Frame;
import dev.chatlab.core.protocol.FrameCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A raw WebSocket to a node for tests: send text, wait for a frame that matches, see the close code. */
final class TestSocket {

    static final FrameCodec CODEC = new FrameCodec(1 << 20);

    private final WebSocket ws;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private volatile Short closeCode;
    private final java.util.List<Frame> backlog = new java.util.ArrayList<>();

    private TestSocket(WebSocket ws) {
        this.ws = ws;
        ws.textMessageHandler(received::add);
        ws.closeHandler(v -> closeCode = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode());
    }

    static TestSocket open(Vertx vertx, int port) {
        // Closing Vert.x closes every socket a test left open and waits for each node's answer to the
        // close, 10 s by default: with a few sockets the node stopping first no longer answers, and the
        // test's stop timed out (as the fleet does, let a socket go after 1 s).
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20).setClosingTimeout(1));
        return new TestSocket(await(client.connect(port, "127.0.0.1", "/ws")));
    }

    static <T> T await(Future<T> future) {
        return Futures.await(future);
    }

    void send(Frame frame) {
        sendText(CODEC.encode(frame));
    }

    void sendText(String text) {
        await(ws.writeTextMessage(text));
    }

    /** A raw WebSocket frame: binary, a fragment, or text whose bytes are not UTF-8. */
    void sendFrame(io.vertx.core.http.WebSocketFrame frame) {
        await(ws.writeFrame(frame));
    }

    /** The first frame that matches, within 10 s; frames that do not match stay for later awaits. */
    <F extends Frame> F await(Class<F> type, Predicate<F> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int scanned = 0;
        while (System.nanoTime() < deadline) {
            while (scanned < backlog.size()) {
                Frame f = backlog.get(scanned);
                if (type.isInstance(f) && match.test(type.cast(f))) {
                    backlog.remove(scanned);
                    return type.cast(f);
                }
                scanned++;
            }
            String text;
            try {
                text = received.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (text != null) {
                FrameCodec.Decoded d = CODEC.decode(text);
                backlog.add(d.ok() ? d.frame() : d.error());
            }
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within 10 s; seen " + backlog);
    }

    <F extends Frame> F await(Class<F> type) {
        return await(type, f -> true);
    }

    /** The close code once the server closed the socket, within 10 s. */
    short awaitClose() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closeCode == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        if (closeCode == null) {
            throw new AssertionError("the socket was not closed within 10 s");
        }
        return closeCode;
    }

    void close() {
        ws.close();
    }
}
