package dev.chatlab.reference.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cuts the Hazelcast links between real nodes with iptables, so that a partition splits cluster
 * membership as the simulator's does. Every node runs on 127.0.0.1, so a node is known by its
 * ports only: its Hazelcast listen port and a range of outbound ports that its Hazelcast binds
 * every outgoing connection to ({@code NetworkConfig.addOutboundPortDefinition}). A directed link
 * {@code a -> b} is cut by dropping the packets {@code a} sends on either of the two connections
 * between them: from {@code a}'s outbound range to {@code b}'s listen port, and from {@code a}'s
 * listen port to {@code b}'s outbound range.
 *
 * <p>The rules live in a chain of their own ({@link #chainName}), jumped to from {@code OUTPUT}
 * (loopback packets all pass there); each {@link #apply} replaces the chain's rules whole. The
 * chain is removed by {@link #close}, by {@link #remove} (what {@code cluster stop} calls), and by
 * a shutdown hook, so no rule outlives the run that made it.
 *
 * <pre>{@code
 * PacketFilter filter = PacketFilter.open("CHATLAB-1a2b3c4d", Map.of("n1", new Ports(5701, 30100, 30131), ...));
 * filter.apply(List.of(new Link("n1", "n2"), new Link("n2", "n1")));   // n1 and n2 cannot reach each other
 * filter.apply(List.of());                                              // healed
 * filter.close();                                                       // chain gone
 * }</pre>
 *
 * <p>The peer links between nodes are not filtered here ({@link CutPeers} drops those
 * messages inside the nodes); neither are the fleet's links nor the store's.
 */
public final class PacketFilter implements AutoCloseable {

    /** A node's Hazelcast ports: where it listens and the range its outgoing connections come from. */
    public record Ports(int listen, int outboundFirst, int outboundLast) {
        public Ports {
            if (listen <= 0 || outboundFirst <= 0 || outboundLast < outboundFirst) {
                throw new IllegalArgumentException("bad Hazelcast ports: listen " + listen + ", outbound "
                        + outboundFirst + "-" + outboundLast);
            }
        }

        String range() {
            return outboundFirst + ":" + outboundLast;
        }
    }

    /** Packets from {@code from} to {@code to} are dropped. */
    public record Link(String from, String to) {
    }

    /** How long one iptables command may take (it waits for the xtables lock with -w). */
    static final long COMMAND_SECONDS_MAX = 20;

    private final String chain;
    private final Map<String, Ports> ports;
    private final Thread cleanup;
    private int rulesNow;
    private long applied;
    private boolean closed;

    private PacketFilter(String chain, Map<String, Ports> ports) {
        this.chain = chain;
        this.ports = Map.copyOf(ports);
        this.cleanup = new Thread(() -> remove(chain), "chatlab-packet-filter-cleanup");
    }

    /** The chain of a cluster, from its id: short enough for iptables (28 characters at most). */
    public static String chainName(String clusterId) {
        String id = clusterId.replaceAll("[^A-Za-z0-9]", "");
        return "CHATLAB-" + id.substring(0, Math.min(id.length(), 16));
    }

    /**
     * Creates the (empty) chain and its jump from {@code OUTPUT}; throws {@link IOException} with
     * iptables' own words if iptables is missing or refuses (no root, no {@code CAP_NET_ADMIN}).
     */
    public static PacketFilter open(String chain, Map<String, Ports> ports) throws IOException {
        remove(chain);
        run(List.of("-N", chain));
        PacketFilter filter = new PacketFilter(chain, ports);
        try {
            run(List.of("-I", "OUTPUT", "1", "-j", chain));
        } catch (IOException e) {
            remove(chain);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(filter.cleanup);
        return filter;
    }

    /** The chain's rules become exactly the cuts of {@code links} (none: every link works). */
    public synchronized void apply(Collection<Link> links) throws IOException {
        if (closed) {
            throw new IllegalStateException("packet filter " + chain + " is closed");
        }
        List<List<String>> rules = new ArrayList<>();
        for (Link link : links) {
            Ports from = requirePorts(link.from());
            Ports to = requirePorts(link.to());
            rules.add(drop(from.range(), String.valueOf(to.listen())));
            rules.add(drop(String.valueOf(from.listen()), to.range()));
        }
        run(List.of("-F", chain));
        rulesNow = 0;
        for (List<String> rule : rules) {
            run(rule);
            rulesNow++;
        }
        applied++;
    }

    public String chain() {
        return chain;
    }

    /** Rules in the chain now. */
    public synchronized int rules() {
        return rulesNow;
    }

    /** How many times the rules were replaced. */
    public synchronized long applied() {
        return applied;
    }

    /** Removes the chain and its jump. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        remove(chain);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it removes the chain again, harmlessly.
        }
    }

    /** Removes {@code chain} and every jump to it, if they exist; never throws. */
    public static void remove(String chain) {
        try {
            // One jump is made per open; a crashed run could have left more.
            for (int i = 0; i < 8; i++) {
                run(List.of("-D", "OUTPUT", "-j", chain));
            }
        } catch (IOException noMoreJumps) {
            // Expected once every jump is gone (or iptables is missing).
        }
        try {
            run(List.of("-F", chain));
            run(List.of("-X", chain));
        } catch (IOException noChain) {
            // Expected when there was no chain.
        }
    }

    /**
     * Why a packet filter cannot be used here (iptables missing, no root, no {@code CAP_NET_ADMIN}),
     * found by making and removing a chain of its own; empty if it can.
     */
    public static java.util.Optional<String> unavailable() {
        String chain = "CHATLAB-probe" + ProcessHandle.current().pid() % 100_000;
        try {
            run(List.of("-N", chain));
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of(String.valueOf(e.getMessage()));
        } finally {
            remove(chain);
        }
    }

    /** Whether {@code chain} exists now (for tests and checks). */
    public static boolean exists(String chain) {
        try {
            run(List.of("-S", chain));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private List<String> drop(String sourcePorts, String destinationPorts) {
        return List.of("-A", chain, "-p", "tcp", "-s", "127.0.0.1", "-d", "127.0.0.1",
                "--sport", sourcePorts, "--dport", destinationPorts, "-j", "DROP");
    }

    private Ports requirePorts(String node) {
        Ports p = ports.get(node);
        if (p == null) {
            throw new IllegalArgumentException("no Hazelcast ports known for node '" + node + "': " + ports.keySet());
        }
        return p;
    }

    private static void run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("iptables");
        command.add("-w");
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("iptables cannot be run: " + e.getMessage(), e);
        }
        try {
            String output;
            try (var in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(COMMAND_SECONDS_MAX, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer in " + COMMAND_SECONDS_MAX + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
