package dev.chatlab.reference.chaos;

import dev.chatlab.reference.cluster.ClusterLauncher;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@link FaultProxy} in front of each node of a cluster, with a Vert.x of its own, so the
 * fleet's connections can be cut or slowed per node: a mass disconnect is a reset of every
 * connection through one node's proxy; a latency spike adds delay on some nodes' proxies.
 *
 * <pre>{@code
 * try (NodeProxies proxies = NodeProxies.start(cluster)) {
 *     fleetEndpoints = proxies.webSocketUrls();
 *     proxies.massDisconnect("n2");
 * }
 * }</pre>
 */
public final class NodeProxies implements AutoCloseable {

    private final Vertx vertx;
    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();

    private NodeProxies(Vertx vertx) {
        this.vertx = vertx;
    }

    public static NodeProxies start(ClusterLauncher cluster) {
        NodeProxies out = new NodeProxies(Vertx.vertx());
        for (ClusterLauncher.NodeInfo node : cluster.nodes()) {
            out.proxies.put(node.name(), FaultProxy.start(out.vertx, 0, "127.0.0.1", node.port()));
        }
        return out;
    }

    /** The WebSocket URLs of the proxies, in node order: what the fleet connects to. */
    public List<String> webSocketUrls() {
        List<String> urls = new ArrayList<>();
        for (FaultProxy p : proxies.values()) {
            urls.add("ws://127.0.0.1:" + p.port() + "/ws");
        }
        return urls;
    }

    /** Drops every device connection to {@code node}; returns how many were dropped. */
    public int massDisconnect(String node) {
        return proxy(node).resetAll();
    }

    /** Adds latency on the proxies of {@code nodes} (every node if empty); 0 removes it. */
    public void latency(List<String> nodes, long millis) {
        for (Map.Entry<String, FaultProxy> e : proxies.entrySet()) {
            if (nodes.isEmpty() || nodes.contains(e.getKey())) {
                e.getValue().latency(millis);
            }
        }
    }

    /** Faults applied, by kind, over every proxy. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        for (FaultProxy p : proxies.values()) {
            p.counts().forEach((k, v) -> out.merge(k, v, Long::sum));
        }
        return out;
    }

    private FaultProxy proxy(String node) {
        FaultProxy p = proxies.get(node);
        if (p == null) {
            throw new IllegalArgumentException("no node '" + node + "'");
        }
        return p;
    }

    @Override
    public void close() {
        for (FaultProxy p : proxies.values()) {
            p.close();
        }
        vertx.close();
    }
}
