package dev.chatlab.reference.chaos;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The iptables filter really cuts a loopback link by ports, only in the direction asked, and
 * leaves no chain behind. Skipped, saying why, where iptables cannot be used.
 */
class PacketFilterTest {

    @BeforeEach
    void needsIptables() {
        Optional<String> unavailable = PacketFilter.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "iptables cannot be used here: " + unavailable.orElse(""));
    }

    @Test
    void shouldDropConnectionsFromOneNodesOutboundPortsToTheOthersListenPortUntilHealed() throws Exception {
        try (ServerSocket b = new ServerSocket()) {
            b.setReuseAddress(true);
            b.bind(new InetSocketAddress("127.0.0.1", 0));
            int aOutbound = freePort();
            int bOutbound = freePort();
            Map<String, PacketFilter.Ports> ports = Map.of(
                    "a", new PacketFilter.Ports(freePort(), aOutbound, aOutbound),
                    "b", new PacketFilter.Ports(b.getLocalPort(), bOutbound, bOutbound));
            String chain = PacketFilter.chainName("test" + ProcessHandle.current().pid());
            try (PacketFilter filter = PacketFilter.open(chain, ports)) {
                assertThat(connects(aOutbound, b.getLocalPort())).as("before any cut").isTrue();

                filter.apply(List.of(new PacketFilter.Link("a", "b")));
                assertThat(filter.rules()).isEqualTo(2);
                assertThat(connects(aOutbound, b.getLocalPort())).as("a -> b cut").isFalse();
                assertThat(connects(0, b.getLocalPort())).as("another port to b is not a's link").isTrue();

                filter.apply(List.of());
                assertThat(connects(aOutbound, b.getLocalPort())).as("healed").isTrue();
            }
            assertThat(PacketFilter.exists(chain)).as("closed: chain removed").isFalse();
        }
    }

    @Test
    void shouldRemoveAChainLeftBehindWhenOpenedAgain() throws Exception {
        String chain = PacketFilter.chainName("left" + ProcessHandle.current().pid());
        Map<String, PacketFilter.Ports> ports = Map.of("a", new PacketFilter.Ports(20001, 20002, 20003));
        PacketFilter first = PacketFilter.open(chain, ports);
        try (PacketFilter second = PacketFilter.open(chain, ports)) {
            assertThat(PacketFilter.exists(second.chain())).isTrue();
        }
        first.close();
        assertThat(PacketFilter.exists(chain)).isFalse();
    }

    /** Whether a connection from {@code localPort} (0: any) to {@code port} is accepted within 700 ms. */
    private static boolean connects(int localPort, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", localPort));
            s.connect(new InetSocketAddress("127.0.0.1", port), 700);
            return true;
        } catch (java.net.SocketTimeoutException dropped) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
