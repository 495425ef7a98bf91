package dev.chatlab.reference.cluster;

import dev.chatlab.core.server.PeerMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpPeersTest {

    private final List<Vertx> vertxes = new ArrayList<>();

    @AfterEach
    void close() {
        vertxes.forEach(v -> v.close().await());
    }

    private record Started(TcpPeers peers, List<String> received, io.vertx.core.Context context) {
        /** Sends as the node does: on its event loop. */
        void send(String to, PeerMessage message) {
            context.runOnContext(v -> peers.send(to, message));
        }
    }

    /** A node's peers in a Vert.x of its own, as in a node process; what arrives is listed as "from:cmid". */
    private Started start(String name, Map<String, SocketAddress> book) {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        TcpPeers peers = new TcpPeers(vertx, book.get(name).port(), book, new EventBusPeers(vertx));
        List<String> received = new CopyOnWriteArrayList<>();
        // Started on a context, as a node verticle starts it, so that sends and arrivals share its event loop.
        io.vertx.core.Context context = vertx.getOrCreateContext();
        Future<Void> started = Future.future(p -> context.runOnContext(v -> peers.start(name, (from, m) ->
                received.add(from + ":" + ((PeerMessage.Submit) m).cmid())).onComplete(p)));
        started.await();
        return new Started(peers, received, context);
    }

    private static Map<String, SocketAddress> book() throws Exception {
        return TcpPeers.parseAddresses("n1=127.0.0.1:" + ClusterLauncher.freePort() + ",n2=127.0.0.1:" + ClusterLauncher.freePort());
    }

    private static PeerMessage.Submit submit(int i) {
        return new PeerMessage.Submit("c1", "u1", "d1", "n1", "m" + i, "body " + i, 0);
    }

    @Test
    void shouldDeliverEveryMessageInOrderWithItsSender() throws Exception {
        Map<String, SocketAddress> book = book();
        Started n1 = start("n1", book);
        Started n2 = start("n2", book);
        for (int i = 0; i < 2_000; i++) {
            n1.send("n2", submit(i));
        }
        eventually(() -> n2.received().size() == 2_000);
        for (int i = 0; i < 2_000; i++) {
            assertThat(n2.received().get(i)).isEqualTo("n1:m" + i);
        }
        assertThat(n1.received()).isEmpty();
    }

    @Test
    void shouldWriteWhatOneTurnOfTheEventLoopSendsAPeerInOneWrite() throws Exception {
        Map<String, SocketAddress> book = book();
        Started n1 = start("n1", book);
        Started n2 = start("n2", book);
        n1.send("n2", submit(0));
        eventually(() -> n2.received().size() == 1);
        long before = n1.peers().writes();
        // A fan-out: one input's effects send many messages to one peer in one turn.
        n1.context().runOnContext(v -> {
            for (int i = 1; i <= 300; i++) {
                n1.peers().send("n2", submit(i));
            }
        });
        eventually(() -> n2.received().size() == 301);
        for (int i = 0; i <= 300; i++) {
            assertThat(n2.received().get(i)).isEqualTo("n1:m" + i);
        }
        assertThat(n1.peers().writes() - before).as("writes for 300 messages sent in one turn").isEqualTo(1);
    }

    @Test
    void shouldAnswerAProbeFromALivePeerAndFailOneToAPeerThatIsDown() throws Exception {
        Map<String, SocketAddress> book = book();
        Started n1 = start("n1", book);
        n1.peers().probe("n1", 2_000).await();
        assertThatThrownBy(() -> n1.peers().probe("n2", 2_000).await()).hasMessageContaining("n2");
    }

    @Test
    void shouldOpenTheLinkAgainOnceTheRestartedPeerListens() throws Exception {
        Map<String, SocketAddress> book = book();
        Started n1 = start("n1", book);
        Started first = start("n2", book);
        n1.send("n2", submit(1));
        eventually(() -> first.received().size() == 1);
        Vertx n2Process = vertxes.remove(1);
        n2Process.close().await();
        // The link closed with the process; a probe says so, and the next sends go to the new incarnation.
        eventually(() -> probeFails(n1.peers()));
        Started second = start("n2", book);
        eventually(() -> {
            n1.send("n2", submit(2));
            return !second.received().isEmpty();
        });
        assertThat(second.received()).allMatch(s -> s.equals("n1:m2"));
    }

    /** Polls {@code condition} for up to 10 s (real sockets and processes take their time). */
    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition still false after 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static boolean probeFails(TcpPeers peers) {
        try {
            peers.probe("n2", 500).await();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Test
    void shouldRefuseAMalformedAddressBookNamingTheEntry() {
        assertThatThrownBy(() -> TcpPeers.parseAddresses("n1=127.0.0.1:4101,n2"))
                .hasMessageContaining("'n2'").hasMessageContaining("NAME=HOST:PORT");
        assertThatThrownBy(() -> TcpPeers.parseAddresses("n1=127.0.0.1:x"))
                .hasMessageContaining("no port number");
    }
}
