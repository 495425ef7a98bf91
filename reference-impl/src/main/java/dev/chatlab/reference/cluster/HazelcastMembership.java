package dev.chatlab.reference.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live chat nodes, from Hazelcast's member list: each member carries its chat-node name in
 * the attribute {@value #NODE_ATTRIBUTE}, and is listed once it has written itself into the map
 * {@value #READY_MAP} (after its event-bus address is registered, so no early message is lost). A name that comes back under a new member id (a node
 * killed and restarted before the others noticed) is reported as gone and then back, so the
 * state machines treat it as the new incarnation it is.
 *
 * <pre>{@code
 * Config config = HazelcastMembership.config("chatlab", "n1", "127.0.0.1", 5701, List.of("127.0.0.1:5701", "127.0.0.1:5702"));
 * HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
 * Vertx vertx = Vertx.builder().withClusterManager(new HazelcastClusterManager(hz)).buildClustered().await();
 * new HazelcastMembership(hz, vertx).start(nodes -> ...);
 * }</pre>
 */
public final class HazelcastMembership implements Membership {

    public static final String NODE_ATTRIBUTE = "chatlab.node";
    /** Node name to member id, written by each node once other nodes can reach it. */
    public static final String READY_MAP = "chatlab.ready-nodes";

    /** Between two reachability probes of a member that did not answer yet. */
    static final long PROBE_RETRY_MILLIS = 200;

    private final HazelcastInstance hazelcast;
    private final Vertx vertx;
    private IncarnationViews views;
    /** The ready map as its entry events tell it, so that reporting never waits on Hazelcast. */
    private final Map<String, String> ready = new ConcurrentHashMap<>();
    /** Member ids this node's event bus has reached: only those are put in the view. */
    private final Set<String> reachable = ConcurrentHashMap.newKeySet();
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private Consumer<List<String>> onChange;

    public HazelcastMembership(HazelcastInstance hazelcast, Vertx vertx) {
        this.hazelcast = hazelcast;
        this.vertx = vertx;
    }

    /** Seconds before the first and between later searches for another side to merge with, after a split. */
    static final int MERGE_DELAY_SECONDS = 5;

    /** {@link #config(String, String, String, int, String, List)} with outgoing connections on any port. */
    public static Config config(String clusterName, String nodeName, String host, int port, List<String> members) {
        return config(clusterName, nodeName, host, port, null, members);
    }

    /**
     * Vert.x's Hazelcast settings with TCP/IP join on {@code host} (loopback by default; a real
     * host's address for a cluster across machines), multicast off, no wait before joining, a
     * dead member noticed within about five seconds (also one that only some members lost), and sides of a split cluster looking for
     * each other every {@value #MERGE_DELAY_SECONDS} s (Hazelcast's default waits 300 s first) so
     * that they merge back soon after a partition heals. {@code outboundPorts} ("30100-30131", or
     * null for any) are the local ports of every connection this member opens: packet filters
     * tell this node's links apart by them (all nodes share 127.0.0.1).
     */
    public static Config config(String clusterName, String nodeName, String host, int port, String outboundPorts,
                                List<String> members) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.policy", "TERMINATE");
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(MERGE_DELAY_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(MERGE_DELAY_SECONDS));
        // Off by default: then a member that loses only some peers (a one-way cut between two non-masters)
        // stays listed everywhere. On, the master gathers the members' suspicions for 3 heartbeats and
        // removes the fewest members that leave the rest fully connected.
        config.setProperty("hazelcast.partial.member.disconnection.resolution.heartbeat.count", "3");
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeName);
        // Vert.x finds its own node id here when it is handed a ready Hazelcast instance.
        config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", UUID.randomUUID().toString());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        if (outboundPorts != null) {
            network.addOutboundPortDefinition(outboundPorts);
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(members));
        return config;
    }

    @Override
    public void start(Consumer<List<String>> listener) {
        this.onChange = listener;
        IMap<String, String> readyMap = hazelcast.getMap(READY_MAP);
        readyMap.addEntryListener((EntryAddedListener<String, String>) e -> {
            ready.put(e.getKey(), e.getValue());
            report();
        }, true);
        readyMap.addEntryListener((EntryUpdatedListener<String, String>) e -> {
            ready.put(e.getKey(), e.getValue());
            report();
        }, true);
        Member self = hazelcast.getCluster().getLocalMember();
        reachable.add(self.getUuid().toString());
        readyMap.put(self.getAttribute(NODE_ATTRIBUTE), self.getUuid().toString());
        ready.putAll(readyMap);
        // After a split heals, the smaller side merges into the larger: its members rejoin (Hazelcast
        // may give them new member ids) and its map entries lose to the larger side's, so this
        // node writes itself into the ready map again and rereads it.
        hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                vertx.executeBlocking(() -> {
                    Member now = hazelcast.getCluster().getLocalMember();
                    readyMap.put(now.getAttribute(NODE_ATTRIBUTE), now.getUuid().toString());
                    reachable.add(now.getUuid().toString());
                    ready.putAll(readyMap);
                    report();
                    return null;
                }, false);
            }
        });
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                report();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                report();
            }
        });
        report();
    }

    /** Asks the node's peer address for a pong until it answers (or leaves), then reports again. */
    private void probe(String name, String id) {
        if (!probing.add(id)) {
            return;
        }
        PeerLinkAudit.eventBusProbe(vertx).apply(name, 1_000L)
                .onComplete(ar -> {
                    probing.remove(id);
                    if (ar.succeeded()) {
                        reachable.add(id);
                        report();
                    } else {
                        vertx.setTimer(PROBE_RETRY_MILLIS, t -> report());
                    }
                });
    }

    private synchronized void report() {
        Map<String, UUID> now = new HashMap<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            String name = member.getAttribute(NODE_ATTRIBUTE);
            String id = member.getUuid().toString();
            // This node is always in its own view: after a merge its member id is new, and until it
            // has written that id into the ready map again it would otherwise leave itself out.
            if (name != null && member.localMember()) {
                now.put(name, member.getUuid());
                continue;
            }
            // Listed once it said it can be reached, under this incarnation's member id, and once
            // this node's event bus has reached it: before that, sends to it would be dropped.
            if (name == null || !id.equals(ready.get(name))) {
                continue;
            }
            if (!reachable.contains(id)) {
                probe(name, id);
                continue;
            }
            now.put(name, member.getUuid());
        }
        if (views == null) {
            // A new id of this node's own is a merge, not a restart: it never leaves its own view.
            views = new IncarnationViews(hazelcast.getCluster().getLocalMember().getAttribute(NODE_ATTRIBUTE));
        }
        views.report(now, onChange);
    }
}
