package dev.chatlab.reference.chaos;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** An echo server behind the proxy: each fault changes what a client sees, and is counted. */
class FaultProxyTest {

    private Vertx vertx;
    private NetServer echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        echo = vertx.createNetServer().connectHandler(s -> s.handler(s::write));
        echo.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        proxy = FaultProxy.start(vertx, 0, "127.0.0.1", echo.actualPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
        vertx.close();
    }

    private final class Client {
        final NetSocket socket;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final AtomicBoolean closed = new AtomicBoolean();

        Client() throws Exception {
            socket = vertx.createNetClient().connect(proxy.port(), "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            socket.handler(b -> received.add(b.toString()));
            socket.closeHandler(v -> closed.set(true));
        }

        /** Milliseconds until the echo of {@code text} came back, or -1 if it did not within {@code waitMillis}. */
        long roundTrip(String text, long waitMillis) throws Exception {
            long start = System.nanoTime();
            socket.write(Buffer.buffer(text));
            StringBuilder got = new StringBuilder();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (got.length() < text.length()) {
                String part = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (part == null) {
                    return -1;
                }
                got.append(part);
            }
            assertThat(got.toString()).isEqualTo(text);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    @Test
    void shouldPassBytesThroughUntouchedWithoutFaults() throws Exception {
        assertThat(new Client().roundTrip("hello", 2_000)).isBetween(0L, 500L);
        assertThat(proxy.counts()).isEmpty();
    }

    @Test
    void shouldDelayEveryChunkBothWaysWithLatency() throws Exception {
        Client c = new Client();
        proxy.latency(150);
        assertThat(c.roundTrip("slow", 3_000)).isGreaterThanOrEqualTo(300L);
        proxy.clear();
        assertThat(c.roundTrip("fast", 3_000)).isLessThan(150L);
        assertThat(proxy.counts()).containsEntry("latency", 1L);
    }

    @Test
    void shouldSwallowBytesInABlackholeAndKeepTheConnection() throws Exception {
        Client c = new Client();
        proxy.blackhole(true);
        assertThat(c.roundTrip("lost", 500)).isEqualTo(-1L);
        assertThat(c.closed.get()).isFalse();
        proxy.blackhole(false);
        assertThat(c.roundTrip("back", 2_000)).isGreaterThanOrEqualTo(0L);
    }

    @Test
    void shouldCapBandwidth() throws Exception {
        Client c = new Client();
        proxy.bandwidth(10_000);
        assertThat(c.roundTrip("x".repeat(5_000), 5_000)).isGreaterThanOrEqualTo(700L);
    }

    @Test
    void shouldDropEveryConnectionOnReset() throws Exception {
        Client a = new Client();
        Client b = new Client();
        a.roundTrip("a", 2_000);
        b.roundTrip("b", 2_000);
        assertThat(proxy.resetAll()).isEqualTo(2);
        Thread.sleep(300);
        assertThat(a.closed.get()).isTrue();
        assertThat(b.closed.get()).isTrue();
        assertThat(new Client().roundTrip("again", 2_000)).isGreaterThanOrEqualTo(0L);
        assertThat(proxy.counts()).containsEntry("reset", 1L);
    }
}
