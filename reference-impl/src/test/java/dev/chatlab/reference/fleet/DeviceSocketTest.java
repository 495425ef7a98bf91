package dev.chatlab.reference.fleet;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceSocketTest {

    private Vertx vertx;
    private ContextInternal context;
    /** What the listener was told, in order, e.g. "opened", "text hi", "closed 4001", "failed ...". */
    private final List<String> told = new CopyOnWriteArrayList<>();
    /** What the server received. */
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = (ContextInternal) vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A node stand-in: answers "ping" with "pong" (twice for "twice"), and closes with 4001 on "bye". */
    private int server() throws Exception {
        HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(text -> {
            received.add(text);
            switch (text) {
                case "ping" -> ws.writeTextMessage("pong");
                case "twice" -> ws.writeTextMessage("one").onComplete(x -> ws.writeTextMessage("two"));
                case "bye" -> ws.close((short) 4001);
                default -> { }
            }
        }));
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private void connect(int port, long timeoutMillis, Replies replies) {
        context.runOnContext(v -> DeviceSocket.connect(context, new InetSocketAddress("127.0.0.1", port),
                new InetSocketAddress("127.0.0.1", 0), URI.create("ws://127.0.0.1:" + port + "/ws"), 1 << 20, timeoutMillis, 1,
                new DeviceSocket.Listener() {
                    @Override
                    public void opened(DeviceSocket socket) {
                        told.add("opened");
                        replies.opened(socket);
                    }

                    @Override
                    public void failed(String why) {
                        told.add("failed");
                    }

                    @Override
                    public void text(DeviceSocket socket, String text) {
                        told.add("text " + text);
                        replies.text(socket, text);
                    }

                    @Override
                    public void closed(DeviceSocket socket, Short closeCode) {
                        told.add("closed " + closeCode);
                    }
                }));
    }

    private static void until(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private interface Replies {
        void opened(DeviceSocket socket);

        default void text(DeviceSocket socket, String text) {
        }
    }

    @Test
    void shouldOpenExchangeTextAndReportTheCodeOfTheNodesCloseFrame() throws Exception {
        int port = server();
        connect(port, 5_000, new Replies() {
            @Override
            public void opened(DeviceSocket socket) {
                socket.sendText("ping");
            }

            @Override
            public void text(DeviceSocket socket, String text) {
                socket.sendText("bye");
            }
        });
        until(() -> told.size() >= 3);
        assertThat(told).containsExactly("opened", "text pong", "closed 4001");
        assertThat(received).containsExactly("ping", "bye");
    }

    @Test
    void shouldSendWhatADeviceWritesWhileItsSocketIsReadWhenTheReadEnds() throws Exception {
        int port = server();
        connect(port, 5_000, new Replies() {
            @Override
            public void opened(DeviceSocket socket) {
                socket.sendText("twice");
            }

            @Override
            public void text(DeviceSocket socket, String text) {
                // Written inside the read of this socket: held for the read's end, then flushed.
                socket.sendText("got " + text);
            }
        });
        until(() -> received.size() >= 3);
        assertThat(received).containsExactly("twice", "got one", "got two");
    }

    @Test
    void shouldFailOnceWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        connect(port, 5_000, socket -> { });
        until(() -> !told.isEmpty());
        Thread.sleep(200);
        assertThat(told).containsExactly("failed");
    }

    @Test
    void shouldFailWhenTheUpgradeIsNotAnsweredInTime() throws Exception {
        // Accepts TCP and never answers, as a node stopped with SIGSTOP does.
        try (ServerSocket mute = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            connect(mute.getLocalPort(), 300, socket -> { });
            try (Socket accepted = mute.accept()) {
                assertThat(accepted.isConnected()).isTrue();
                until(() -> !told.isEmpty());
                assertThat(told).containsExactly("failed");
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            }
        }
    }
}
