package dev.chatlab.reference.node;

import dev.chatlab.reference.Futures;
import dev.chatlab.core.protocol.Frame;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Test helpers for other packages: a logged-in raw socket to a node. */
public final class TestSockets {

    private TestSockets() {
    }

    /** A socket, sending and awaiting frames; see {@link TestSocket}. */
    public static final class Socket {
        private final TestSocket socket;

        Socket(TestSocket socket) {
            this.socket = socket;
        }

        public void send(Frame frame) {
            socket.send(frame);
        }

        public <F extends Frame> F await(Class<F> type, java.util.function.Predicate<F> match) {
            return socket.await(type, match);
        }
    }

    public static Socket login(Vertx vertx, int port, String user, String token) {
        TestSocket s = TestSocket.open(vertx, port);
        s.send(new Frame.Hello(user, "d1", token));
        s.await(Frame.Welcome.class);
        return new Socket(s);
    }

    /**
     * Sends {@code send} until it is acknowledged (up to {@code attempts} times, each waiting as
     * long as {@link Socket#await} does), as a device retries across a failover; returns its seq.
     */
    public static long sendUntilAcked(Socket socket, dev.chatlab.core.protocol.Frame.Send send, int attempts) {
        socket.send(send);
        for (int attempt = 1; ; attempt++) {
            try {
                return socket.await(dev.chatlab.core.protocol.Frame.Ack.class, a -> a.cmid().equals(send.cmid())).seq();
            } catch (AssertionError timeout) {
                if (attempt >= attempts) {
                    throw timeout;
                }
                socket.send(send);
            }
        }
    }

    public static <T> T await(Future<T> future) {
        return Futures.await(future);
    }
}
